/** Each rate is the best of this many windows: other processes on a shared machine only slow runs down. */
export const WINDOWS = 5;
/** Seconds per window (one step at least). */
export const WINDOW_SECONDS = 0.4;
/** Steps slower than this are measured once, after the sizing step that also warmed them up. */
const SLOW_STEP_SECONDS = 1.5;

/**
 * Best throughput of `run(steps)` (which performs that many steps of `unit` samples each): one step
 * sizes the windows, one window warms up the JIT (and lets V8 tier wasm up), then the best window counts.
 */
export async function bestRate(unit: number, run: (steps: number) => void | Promise<void>): Promise<number> {
  let t0 = performance.now();
  await run(1);
  const perStep = Math.max(1e-6, (performance.now() - t0) / 1000);
  if (perStep > SLOW_STEP_SECONDS) {
    t0 = performance.now();
    await run(1);
    return unit / ((performance.now() - t0) / 1000);
  }
  const steps = Math.max(1, Math.ceil(WINDOW_SECONDS / perStep));
  await run(steps);
  let best = 0;
  for (let w = 0; w < WINDOWS; w++) {
    t0 = performance.now();
    await run(steps);
    best = Math.max(best, (steps * unit) / ((performance.now() - t0) / 1000));
  }
  return best;
}
