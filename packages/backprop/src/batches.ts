import type { Dataset } from './dataset.ts';

/** Copies the rows `order[start..start+rows)` of x (rows×features) into `out` (rows×features). */
export function gatherRows(x: Float32Array, features: number, order: Uint32Array, start: number, rows: number, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const source = order[start + r] * features;
    // A row view is a small short-lived object, and set() is a memcpy: 5× faster than an element loop
    // (a 128×784 batch: ~60 µs instead of ~300 µs, a tenth of a native W1 step).
    out.set(x.subarray(source, source + features), r * features);
  }
}

/**
 * Targets of those rows as the output layer sees them (rows×outputs): one-hot class vectors, or for one
 * output unit the value itself (a 0/1 class for a sigmoid classifier, the target for regression).
 */
export function gatherTargets(data: Dataset, outputs: number, order: Uint32Array, start: number, rows: number, out: Float32Array): void {
  if (data.task === 'classification' && outputs > 1) {
    out.fill(0, 0, rows * outputs);
    for (let r = 0; r < rows; r++) out[r * outputs + data.y[order[start + r]]] = 1;
    return;
  }
  for (let r = 0; r < rows; r++) out[r] = data.y[order[start + r]];
}
