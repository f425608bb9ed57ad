// The training loop's contract with its callers: callbacks, abort, pause, yielding, reports, bad input.
import { describe, expect, it } from 'vitest';
import type { TrainingInput } from './config.ts';
import { loadBuiltin } from './data/builtins.ts';
import type { Dataset } from './dataset.ts';
import { JsKernel } from './kernels/js-kernel.ts';
import { predict } from './predict.ts';
import type { ModelSpec } from './spec.ts';
import { splitRows } from './split.ts';
import { blobs, makeTrainer, sameWeights } from './testing/trainers.ts';
import type { EpochReport, StepReport } from './trainer.ts';

const iris = loadBuiltin('iris');
const layers: ModelSpec['layers'] = [{ units: 8, activation: 'tanh' }, { units: 3, activation: 'softmax' }];

describe('callbacks and reports', () => {
  it('reports every step and every epoch, with the best epoch by valLoss', async () => {
    const trainer = makeTrainer(iris, layers, { epochs: 6, batchSize: 25 });
    const steps: StepReport[] = [];
    const epochs: EpochReport[] = [];
    const outcome = await trainer.run({ onStep: (r) => void steps.push(r), onEpoch: (r) => void epochs.push(r) });
    expect(trainer.trainRows).toBe(120);
    expect(trainer.validationRows).toBe(30);
    expect(trainer.stepsPerEpoch).toBe(5); // ⌈120 / 25⌉: the last batch holds 20 rows
    expect(steps.map((s) => s.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(steps.map((s) => s.epoch)).toEqual(Array.from({ length: 30 }, (_, i) => Math.floor(i / 5) + 1));
    expect(steps.every((s) => s.totalSteps === 30 && s.stepsPerEpoch === 5 && Number.isFinite(s.loss))).toBe(true);
    expect(epochs.map((e) => [e.epoch, e.epochs, e.step])).toEqual(Array.from({ length: 6 }, (_, i) => [i + 1, 6, 5 * (i + 1)]));
    let best = Infinity;
    for (const e of epochs) {
      expect(e.best).toBe(e.valLoss! < best);
      best = Math.min(best, e.valLoss!);
      expect(e.accuracy).toBeGreaterThanOrEqual(0);
      expect(e.valAccuracy).toBeLessThanOrEqual(1);
      expect(e.samplesPerSecond).toBeGreaterThan(0);
    }
    // The epoch's loss is the mean over its steps, weighted by their rows: the last step's running mean.
    expect(epochs[5].loss).toBeCloseTo(steps[29].loss, 12);
    expect(outcome).toMatchObject({ status: 'completed', epochsRun: 6, steps: 30, stoppedEarly: false, backend: 'js' });
    const { loss, accuracy, valLoss, valAccuracy } = epochs[5];
    expect(outcome.metrics).toEqual({ loss, accuracy, valLoss, valAccuracy });
  });

  it('awaits a callback that returns a promise before the next step', async () => {
    const trainer = makeTrainer(iris, layers, { epochs: 1 });
    const seen: number[] = [];
    await trainer.run({
      onStep: async (r) => {
        expect(trainer.step).toBe(r.step);
        await new Promise((resolve) => setTimeout(resolve, 1));
        seen.push(trainer.step);
      },
    });
    expect(seen).toEqual(Array.from({ length: trainer.stepsPerEpoch }, (_, i) => i + 1));
  });

  it('refuses a second run while one is in progress', async () => {
    const trainer = makeTrainer(iris, layers, { epochs: 2 });
    const first = trainer.run();
    await expect(trainer.run()).rejects.toThrow(/already/);
    expect((await first).status).toBe('completed');
  });
});

describe('abort, pause and the event loop', () => {
  it('returns aborted before the first step when the signal is already aborted', async () => {
    const trainer = makeTrainer(iris, layers, { epochs: 2 });
    const outcome = await trainer.run({ signal: AbortSignal.abort() });
    expect(outcome).toMatchObject({ status: 'aborted', steps: 0, epochsRun: 0, metrics: null });
  });

  it('yields to the event loop, so a timer can abort a long run', async () => {
    const trainer = makeTrainer(iris, layers, { epochs: 100_000, batchSize: 8 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const outcome = await trainer.run({ signal: controller.signal });
    expect(outcome.status).toBe('aborted');
    expect(outcome.steps).toBeGreaterThan(0);
    expect(outcome.steps).toBeLessThan(trainer.totalSteps);
  });

  it('pauses at stopAfterSteps and carries on from there', async () => {
    const trainer = makeTrainer(iris, layers, { epochs: 2 });
    expect((await trainer.run({ stopAfterSteps: 0 })).status).toBe('paused');
    expect(trainer.step).toBe(0);
    expect((await trainer.run({ stopAfterSteps: 5 })).status).toBe('paused');
    expect(trainer.step).toBe(5);
    const outcome = await trainer.run({ stopAfterSteps: 1_000 });
    expect(outcome).toMatchObject({ status: 'completed', steps: trainer.totalSteps, epochsRun: 2 });
  });
});

describe('failures', () => {
  it('fails with diverged when the loss stops being finite', async () => {
    const x = Float32Array.from({ length: 64 }, (_, i) => i);
    const data: Dataset = { task: 'regression', features: ['a'], target: 'y', rows: 64, x, y: Float32Array.from(x, (v) => 3 * v) };
    const trainer = makeTrainer(data, [{ units: 1, activation: 'linear' }], { epochs: 50, normalize: false, optimizer: { type: 'sgd', learningRate: 1e3 } });
    await expect(trainer.run()).rejects.toMatchObject({ name: 'TrainingError', code: 'diverged', message: expect.stringMatching(/loss became (NaN|Infinity)/) });
  });

  it('rejects an invalid spec with every issue, and data it cannot trust', () => {
    const error = (() => {
      try {
        makeTrainer(iris, [{ units: 4, activation: 'softmax' }, { units: 2, activation: 'relu' }], { epochs: 0 });
      } catch (e) {
        return e as { code: string; details: { path: string }[] };
      }
    })();
    expect(error?.code).toBe('invalid_spec');
    expect(error?.details.map((d) => d.path).sort()).toEqual(['model.layers[0].activation', 'model.layers[1].units', 'training.epochs']);

    const badLabel = { ...iris, y: Float32Array.from(iris.y, (v, i) => (i === 7 ? 3 : v)) };
    expect(() => makeTrainer(badLabel, layers, {})).toThrow(expect.objectContaining({ code: 'invalid_spec', message: expect.stringMatching(/row 7 has class index 3/) }));
    const badFeature = { ...iris, x: Float32Array.from(iris.x, (v, i) => (i === 9 ? NaN : v)) };
    expect(() => makeTrainer(badFeature, layers, {})).toThrow(expect.objectContaining({ code: 'invalid_spec', message: expect.stringMatching(/row 2, feature sepal_width is NaN/) }));
  });
});

describe('initial weights', () => {
  it('starts from them exactly, keeping their normalisation', async () => {
    const base = makeTrainer(iris, layers, { epochs: 20, optimizer: { type: 'adam', learningRate: 0.02 } });
    await base.run();
    const tuned = makeTrainer(iris, layers, { epochs: 1, seed: 9 }, { initialWeights: base.model() });
    expect(sameWeights(tuned.model(), base.model())).toBe(true);
    expect(tuned.model().normalization).toEqual(base.model().normalization);
  });

  it('rejects weights of another shape, naming the layer and both shapes', () => {
    const wider = makeTrainer(iris, [{ units: 5, activation: 'tanh' }, { units: 3, activation: 'softmax' }], {}).model();
    expect(() => makeTrainer(iris, layers, {}, { initialWeights: wider })).toThrow(
      expect.objectContaining({ code: 'shape_mismatch', message: 'layer 0: the weights are [5, 4], the model needs [8, 4]' }),
    );
    const deeper = makeTrainer(iris, [{ units: 8, activation: 'tanh' }, { units: 8, activation: 'tanh' }, { units: 3, activation: 'softmax' }], {}).model();
    expect(() => makeTrainer(iris, layers, {}, { initialWeights: deeper })).toThrow(expect.objectContaining({ code: 'shape_mismatch', message: expect.stringMatching(/3 layers; the model has 2/) }));
    // Same number of values, other shape: a [4, 8] layer is not an [8, 4] one.
    const model = makeTrainer(iris, layers, {}).model();
    const lying = { ...model, architecture: { ...model.architecture, layers: [{ units: 4, activation: 'tanh' as const }, model.architecture.layers[1]] } };
    expect(() => makeTrainer(iris, layers, {}, { initialWeights: lying })).toThrow(expect.objectContaining({ code: 'shape_mismatch', message: expect.stringMatching(/layer 0/) }));
  });
});

describe('normalisation and the split', () => {
  it('standardises with the training rows only (constant feature ⇒ std 1), and predict applies it to raw inputs', async () => {
    const data = blobs(90, 3, 3, 5);
    for (let r = 0; r < data.rows; r++) data.x[r * 3 + 2] = 4; // a constant feature
    const input: TrainingInput = { epochs: 3, validationSplit: 0.3, seed: 11 };
    const trainer = makeTrainer(data, [{ units: 3, activation: 'softmax' }], input);
    await trainer.run();
    const model = trainer.model();
    const { train } = splitRows(data.rows, 0.3, 11);
    const column = (f: number) => Array.from(train, (r) => data.x[r * 3 + f]);
    for (const f of [0, 1]) {
      const values = column(f);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
      expect(model.normalization!.mean[f]).toBeCloseTo(mean, 10);
      expect(model.normalization!.std[f]).toBeCloseTo(std, 10);
    }
    expect(model.normalization!.std[2]).toBe(1);

    // One softmax layer, evaluated here in float64 on inputs normalised by hand.
    const out = predict(model, data.x, data.rows, new JsKernel());
    for (let r = 0; r < data.rows; r++) {
      const xs = [0, 1, 2].map((f) => (data.x[r * 3 + f] - model.normalization!.mean[f]) / model.normalization!.std[f]);
      const z = [0, 1, 2].map((i) => model.layers[0].bias[i] + xs.reduce((s, v, j) => s + model.layers[0].weight[i * 3 + j] * v, 0));
      const e = z.map((v) => Math.exp(v - Math.max(...z)));
      e.forEach((v, i) => expect(out[r * 3 + i]).toBeCloseTo(v / e.reduce((a, b) => a + b, 0), 5));
    }
  });

  it('holds out ⌈split·rows⌉ rows, or none when no training row would remain', () => {
    expect(makeTrainer(blobs(7, 2, 2, 1), [{ units: 2, activation: 'softmax' }], { validationSplit: 0.2 }).validationRows).toBe(2);
    expect(makeTrainer(blobs(100, 2, 2, 1), [{ units: 2, activation: 'softmax' }], { validationSplit: 0.07 }).validationRows).toBe(7);
    const single = makeTrainer(blobs(1, 2, 1, 1), [{ units: 1, activation: 'sigmoid' }], { validationSplit: 0.5, earlyStopping: { metric: 'valLoss', patience: 1 } });
    expect([single.trainRows, single.validationRows]).toEqual([1, 0]);
  });

  it('early stopping on a validation metric watches its training twin when no rows were held out', async () => {
    const trainer = makeTrainer(blobs(1, 2, 1, 1), [{ units: 1, activation: 'sigmoid' }], { epochs: 20, validationSplit: 0.5, earlyStopping: { metric: 'valAccuracy', patience: 1 } });
    const outcome = await trainer.run();
    // One row: accuracy is 0 or 1, so it improves at most once and patience 1 ends training by epoch 3.
    expect(outcome.status).toBe('stopped_early');
    expect(outcome.epochsRun).toBeLessThanOrEqual(3);
    expect(outcome.metrics?.valAccuracy).toBeUndefined();
  });
});
