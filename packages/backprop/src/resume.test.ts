// Crash recovery stands on this: a run stopped at any step boundary, saved, restored and finished ends
// bit-identical to the run that never stopped — weights, best weights, metrics and early-stopping decision.
import { describe, expect, it } from 'vitest';
import type { TrainingInput } from './config.ts';
import { loadBuiltin } from './data/builtins.ts';
import { JsKernel } from './kernels/js-kernel.ts';
import { selectKernel } from './kernels/select.ts';
import { Rng } from './rng.ts';
import type { ModelSpec } from './spec.ts';
import { blobs, makeTrainer, sameWeights } from './testing/trainers.ts';
import { Trainer, type EpochReport, type TrainOutcome } from './trainer.ts';

const iris = loadBuiltin('iris');
const layers: ModelSpec['layers'] = [{ units: 12, activation: 'relu' }, { units: 3, activation: 'softmax' }];

// Patience 2 with these rates ends every scenario early, so resuming must also carry the stopping state.
const scenarios: [string, TrainingInput][] = [
  ['sgd + nesterov momentum + L2', {
    epochs: 80, batchSize: 16, optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-4 },
    earlyStopping: { metric: 'valLoss', patience: 2 },
  }],
  ['adamw', {
    epochs: 80, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.03, weightDecay: 1e-3 },
    earlyStopping: { metric: 'valAccuracy', patience: 2, restoreBest: true },
  }],
  ['sgd, no validation, no shuffle', {
    epochs: 80, batchSize: 20, validationSplit: 0, shuffle: false, optimizer: { type: 'sgd', learningRate: 0.1, momentum: 0.5 },
    earlyStopping: { metric: 'loss', patience: 2, minDelta: 0.01 },
  }],
];

/** Epoch reports without the wall-clock figure. */
function deterministic(reports: EpochReport[]): Omit<EpochReport, 'samplesPerSecond'>[] {
  return reports.map(({ samplesPerSecond: _, ...rest }) => rest);
}

async function uninterrupted(input: TrainingInput): Promise<{ trainer: Trainer; outcome: TrainOutcome; reports: EpochReport[] }> {
  const trainer = makeTrainer(iris, layers, input);
  const reports: EpochReport[] = [];
  const outcome = await trainer.run({ onEpoch: (report) => void reports.push(report) });
  return { trainer, outcome, reports };
}

async function expectSameEnd(resumed: Trainer, whole: Awaited<ReturnType<typeof uninterrupted>>, from: number): Promise<void> {
  const reports: EpochReport[] = [];
  const outcome = await resumed.run({ onEpoch: (report) => void reports.push(report) });
  expect(outcome.status).toBe(whole.outcome.status);
  expect(outcome.epochsRun).toBe(whole.outcome.epochsRun);
  expect(outcome.steps).toBe(whole.outcome.steps);
  expect(outcome.metrics).toEqual(whole.outcome.metrics);
  expect(sameWeights(resumed.model(), whole.trainer.model()), 'final weights').toBe(true);
  expect(sameWeights(resumed.bestModel()!, whole.trainer.bestModel()!), 'best weights').toBe(true);
  expect(deterministic(reports)).toEqual(deterministic(whole.reports.slice(whole.reports.length - reports.length)));
  expect(reports.length).toBe(whole.reports.filter((r) => r.step > from).length);
}

describe.each(scenarios)('stop and resume: %s', (_name, input) => {
  it('the uninterrupted run is reproducible and ends by early stopping', async () => {
    const a = await uninterrupted(input);
    const b = await uninterrupted(input);
    expect(a.outcome.status).toBe('stopped_early');
    expect(a.outcome.epochsRun).toBeGreaterThan(3);
    expect(sameWeights(a.trainer.model(), b.trainer.model())).toBe(true);
    expect(deterministic(a.reports)).toEqual(deterministic(b.reports));
  });

  it('pausing at arbitrary steps (stopAfterSteps), saving, restoring and finishing is bit-identical', async () => {
    const whole = await uninterrupted(input);
    const rng = new Rng(whole.outcome.steps);
    const stops = [1, ...Array.from({ length: 4 }, () => 1 + Math.floor(rng.next() * (whole.outcome.steps - 1)))];
    for (const stop of stops) {
      const first = makeTrainer(iris, layers, input);
      const paused = await first.run({ stopAfterSteps: stop });
      expect(paused.status, `stop at ${stop}`).toBe('paused');
      expect(first.step).toBe(stop);
      await expectSameEnd(Trainer.restore(first.saveState(), iris, new JsKernel()), whole, stop);
    }
  });

  it('a state saved in onStep on the last step of an epoch, before its metrics, resumes bit-identically', async () => {
    const whole = await uninterrupted(input);
    const first = makeTrainer(iris, layers, input);
    const epochEnd = 2 * first.stepsPerEpoch;
    let saved: Uint8Array | null = null;
    await first.run({ onStep: (report) => void (report.step === epochEnd && (saved = first.saveState())), stopAfterSteps: epochEnd + 3 });
    const resumed = Trainer.restore(saved!, iris, new JsKernel());
    expect(resumed.step).toBe(epochEnd);
    expect(resumed.epoch).toBe(1); // the second epoch's metrics are still to come
    await expectSameEnd(resumed, whole, epochEnd - 1);
  });

  it('a state saved in onEpoch resumes bit-identically, even across several pauses', async () => {
    const whole = await uninterrupted(input);
    let saved: Uint8Array | null = null;
    const first = makeTrainer(iris, layers, input);
    await first.run({ onEpoch: (report) => void (report.epoch === 3 && (saved = first.saveState())) });
    let trainer = Trainer.restore(saved!, iris, new JsKernel());
    expect(trainer.epoch).toBe(3);
    for (const stop of [trainer.step + 5, trainer.step + 13]) {
      expect((await trainer.run({ stopAfterSteps: stop })).status).toBe('paused');
      trainer = Trainer.restore(trainer.saveState(), iris, new JsKernel());
    }
    await expectSameEnd(trainer, whole, trainer.step);
  });
});

describe('determinism', () => {
  it('the selected kernel also trains bit-identically run to run', async () => {
    const data = blobs(300, 6, 4, 3);
    const input: TrainingInput = { epochs: 4, batchSize: 32, optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9 } };
    const spec: ModelSpec['layers'] = [{ units: 32, activation: 'tanh' }, { units: 4, activation: 'softmax' }];
    const a = makeTrainer(data, spec, input, { kernel: selectKernel() });
    const b = makeTrainer(data, spec, input, { kernel: selectKernel() });
    await a.run();
    await b.run();
    expect(sameWeights(a.model(), b.model())).toBe(true);
  });

  it('another seed gives other weights', async () => {
    const input: TrainingInput = { epochs: 2 };
    const a = makeTrainer(iris, layers, input);
    const b = makeTrainer(iris, layers, { ...input, seed: 43 });
    await a.run();
    await b.run();
    expect(sameWeights(a.model(), b.model())).toBe(false);
  });
});

describe('restore refuses what it cannot continue', () => {
  const input: TrainingInput = { epochs: 3 };

  it('other data of the same shape', async () => {
    const trainer = makeTrainer(iris, layers, input);
    await trainer.run({ stopAfterSteps: 3 });
    const altered = { ...iris, x: Float32Array.from(iris.x, (v, i) => (i === 17 ? v + 0.1 : v)) };
    expect(() => Trainer.restore(trainer.saveState(), altered)).toThrow(expect.objectContaining({ code: 'bad_state', message: expect.stringMatching(/checksum/) }));
  });

  it('data of another shape, corrupt bytes, truncated bytes, other bytes', async () => {
    const state = makeTrainer(iris, layers, input).saveState();
    expect(() => Trainer.restore(state, loadBuiltin('xor'))).toThrow(expect.objectContaining({ code: 'bad_state', message: expect.stringMatching(/150×4/) }));
    for (const index of [0, 20, state.length - 100, state.length - 1]) {
      const corrupt = Uint8Array.from(state);
      corrupt[index] ^= 0x40;
      expect(() => Trainer.restore(corrupt, iris), `byte ${index}`).toThrow(expect.objectContaining({ code: 'bad_state' }));
    }
    expect(() => Trainer.restore(state.subarray(0, state.length - 9), iris)).toThrow(expect.objectContaining({ code: 'bad_state' }));
    expect(() => Trainer.restore(new TextEncoder().encode('{"not":"a state"}'), iris)).toThrow(expect.objectContaining({ code: 'bad_state' }));
  });
});
