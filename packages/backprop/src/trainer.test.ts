import { describe, expect, it } from 'vitest';
import { resolveTrainingConfig, type TrainingInput } from './config.ts';
import { loadBuiltin } from './data/builtins.ts';
import type { Dataset } from './dataset.ts';
import { TrainingError } from './errors.ts';
import { JsKernel } from './kernels/js-kernel.ts';
import { selectKernel } from './kernels/select.ts';
import type { Kernel } from './kernels/kernel.ts';
import { predict } from './predict.ts';
import type { SavedModel } from './saved-model.ts';
import type { ModelSpec } from './spec.ts';
import { Trainer } from './trainer.ts';

function trainer(data: Dataset, layers: ModelSpec['layers'], input: TrainingInput, kernel: Kernel = new JsKernel(), initialWeights?: SavedModel): Trainer {
  const spec = { inputSize: data.features.length, layers };
  const last = layers[layers.length - 1];
  const training = resolveTrainingConfig(input, { task: data.task, outputActivation: last.activation, outputUnits: last.units });
  return new Trainer({ spec, training, data, kernel, initialWeights });
}

function sameWeights(a: SavedModel, b: SavedModel): boolean {
  return a.layers.every((layer, i) =>
    Buffer.from(layer.weight.buffer).equals(Buffer.from(b.layers[i].weight.buffer)) &&
    Buffer.from(layer.bias.buffer).equals(Buffer.from(b.layers[i].bias.buffer)));
}

/** Accuracy of a saved model on a dataset, computed through predict (raw inputs). */
function accuracy(model: SavedModel, data: Dataset): number {
  const out = predict(model, data.x, data.rows, new JsKernel());
  const units = model.architecture.layers.at(-1)!.units;
  let correct = 0;
  for (let r = 0; r < data.rows; r++) {
    let best = 0;
    for (let j = 1; j < units; j++) if (out[r * units + j] > out[r * units + best]) best = j;
    correct += best === data.y[r] ? 1 : 0;
  }
  return correct / data.rows;
}

const irisLayers: ModelSpec['layers'] = [{ units: 16, activation: 'tanh' }, { units: 3, activation: 'softmax' }];

describe('convergence', () => {
  it('learns xor to 100% accuracy', async () => {
    const t = trainer(loadBuiltin('xor'), [{ units: 8, activation: 'tanh' }, { units: 2, activation: 'softmax' }], { epochs: 60, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.05 } });
    const outcome = await t.run();
    expect(outcome.metrics?.accuracy).toBe(1);
    expect(outcome.metrics?.valAccuracy).toBe(1);
  });

  it('learns iris to ≥ 95% validation accuracy, and predict agrees with the reported accuracy', async () => {
    const iris = loadBuiltin('iris');
    const t = trainer(iris, irisLayers, { epochs: 150, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.01 }, seed: 7 });
    const outcome = await t.run();
    expect(outcome.metrics!.valAccuracy!).toBeGreaterThanOrEqual(0.95);
    expect(accuracy(t.model(), iris)).toBeGreaterThanOrEqual(0.95);
  });

  // Pixels are already in [0, 1]; standardising near-constant border pixels would only add noise.
  it('learns mnist (784-128-10) to ≥ 95% validation accuracy', async () => {
    const input: TrainingInput = { epochs: 12, batchSize: 32, normalize: false, optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9 } };
    const t = trainer(loadBuiltin('mnist'), [{ units: 128, activation: 'relu' }, { units: 10, activation: 'softmax' }], input, selectKernel());
    const outcome = await t.run();
    expect(outcome.metrics!.valAccuracy!).toBeGreaterThanOrEqual(0.95);
  }, 300_000);

  it('fits a regression target with mse', async () => {
    const rows = 200;
    const x = Float32Array.from({ length: rows * 2 }, (_, i) => Math.sin(i * 12.9898) * 2);
    const y = Float32Array.from({ length: rows }, (_, r) => 3 * x[r * 2] - 2 * x[r * 2 + 1] + 1);
    const data: Dataset = { task: 'regression', features: ['a', 'b'], target: 'y', rows, x, y };
    const outcome = await trainer(data, [{ units: 1, activation: 'linear' }], { epochs: 200, optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9 } }).run();
    expect(outcome.metrics!.valLoss!).toBeLessThan(1e-3);
  });
});

describe.each([
  ['sgd with momentum', { type: 'sgd' as const, learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-4 }],
  ['adam', { type: 'adam' as const, learningRate: 0.01, weightDecay: 1e-3 }],
])('determinism and resume (%s)', (_name, optimizer) => {
  const iris = loadBuiltin('iris');
  const input: TrainingInput = { epochs: 12, batchSize: 16, optimizer, earlyStopping: { metric: 'valLoss', patience: 50 } };

  it('two runs from the same seed give bit-identical weights', async () => {
    const a = trainer(iris, irisLayers, input);
    const b = trainer(iris, irisLayers, input);
    await a.run();
    await b.run();
    expect(sameWeights(a.model(), b.model())).toBe(true);
    const c = trainer(iris, irisLayers, { ...input, seed: 43 });
    await c.run();
    expect(sameWeights(a.model(), c.model())).toBe(false);
  });

  it.each([1, 7, 8, 30, 61])('stopping after step %i, saving, restoring and finishing is bit-identical', async (stopAt) => {
    const whole = trainer(iris, irisLayers, input);
    const wholeOutcome = await whole.run();
    const first = trainer(iris, irisLayers, input);
    expect((await first.run({ stopAfterSteps: stopAt })).status).toBe('paused');
    expect(first.step).toBe(stopAt);
    const resumed = Trainer.restore(first.saveState(), iris, new JsKernel());
    const outcome = await resumed.run();
    expect(outcome.status).toBe('completed');
    expect(sameWeights(resumed.model(), whole.model())).toBe(true);
    expect(sameWeights(resumed.bestModel()!, whole.bestModel()!)).toBe(true);
    expect(outcome.metrics).toEqual(wholeOutcome.metrics);
  });

  it('a state saved at an epoch end resumes bit-identically too', async () => {
    const whole = trainer(iris, irisLayers, input);
    await whole.run();
    let saved: Uint8Array | null = null;
    const first = trainer(iris, irisLayers, input);
    await first.run({ onEpoch: (report) => { if (report.epoch === 5) saved = first.saveState(); } });
    const resumed = Trainer.restore(saved!, iris, new JsKernel());
    expect(resumed.epoch).toBe(5);
    await resumed.run();
    expect(sameWeights(resumed.model(), whole.model())).toBe(true);
  });
});

describe('training control', () => {
  const iris = loadBuiltin('iris');

  it('stops early when the metric stops improving, restoring the best weights', async () => {
    const t = trainer(iris, irisLayers, { epochs: 500, optimizer: { type: 'adam', learningRate: 0.05 }, earlyStopping: { metric: 'valLoss', patience: 3 } });
    const epochs: number[] = [];
    const outcome = await t.run({ onEpoch: (r) => { epochs.push(r.valLoss!); } });
    expect(outcome.status).toBe('stopped_early');
    expect(outcome.stoppedEarly).toBe(true);
    expect(outcome.epochsRun).toBeLessThan(500);
    const bestEpoch = epochs.indexOf(Math.min(...epochs));
    expect(epochs.length - 1 - bestEpoch).toBe(3);
    expect(sameWeights(t.model(), t.bestModel()!)).toBe(true);
  });

  it('fails with diverged when the loss stops being finite', async () => {
    const x = Float32Array.from({ length: 100 }, (_, i) => i * 1e6);
    const data: Dataset = { task: 'regression', features: ['a'], target: 'y', rows: 100, x, y: Float32Array.from(x, (v) => v * 1e6) };
    const t = trainer(data, [{ units: 1, activation: 'linear' }], { epochs: 50, normalize: false, optimizer: { type: 'sgd', learningRate: 10 } });
    await expect(t.run()).rejects.toMatchObject({ code: 'diverged' });
  });

  it('stops before the next step when aborted, and reports each step', async () => {
    const controller = new AbortController();
    const t = trainer(iris, irisLayers, { epochs: 100 });
    let steps = 0;
    const outcome = await t.run({ signal: controller.signal, onStep: (r) => { steps = r.step; if (r.step === 10) controller.abort(); } });
    expect(outcome.status).toBe('aborted');
    expect(steps).toBe(10);
    expect(t.step).toBe(10);
  });

  it('starts from initial weights, and rejects weights of another shape', async () => {
    const base = trainer(iris, irisLayers, { epochs: 30, optimizer: { type: 'adam', learningRate: 0.01 } });
    await base.run();
    const tuned = trainer(iris, irisLayers, { epochs: 1, optimizer: { type: 'sgd', learningRate: 1e-9 } }, new JsKernel(), base.model());
    const first = await tuned.run();
    expect(first.metrics!.valAccuracy!).toBeGreaterThan(0.8);
    const wrong = [{ units: 5, activation: 'tanh' as const }, { units: 3, activation: 'softmax' as const }];
    expect(() => trainer(iris, wrong, { epochs: 1 }, new JsKernel(), base.model())).toThrow(/layer 0/);
  });

  it('rejects an invalid spec and a corrupt state with typed errors', () => {
    expect(() => trainer(iris, [{ units: 2, activation: 'softmax' }], {})).toThrow(TrainingError);
    const state = trainer(iris, irisLayers, {}).saveState();
    state[state.length - 10] ^= 0xff;
    expect(() => Trainer.restore(state, iris)).toThrow(/checksum/);
    expect(() => Trainer.restore(trainer(iris, irisLayers, {}).saveState(), loadBuiltin('xor'))).toThrow(/saved state/);
  });
});
