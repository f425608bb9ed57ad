// What real tables add to training: an explicit split, row weights (class weights), a given input
// standardisation, and regression targets standardised for training but reported in their own units.
import { describe, expect, it } from 'vitest';
import type { Dataset } from './dataset.ts';
import { JsKernel } from './kernels/js-kernel.ts';
import { predict } from './predict.ts';
import { blobs, makeTrainer, sameWeights } from './testing/trainers.ts';
import { Trainer } from './trainer.ts';
import { resolveTrainingConfig } from './config.ts';

const layers = [{ units: 6, activation: 'tanh' as const }, { units: 3, activation: 'softmax' as const }];

describe('Trainer on prepared tables', () => {
  it('trains only on the given training rows and validates on the given ones', async () => {
    const data = blobs(60, 4, 3, 1);
    const train = Uint32Array.from({ length: 40 }, (_, i) => i);
    const validation = Uint32Array.from({ length: 10 }, (_, i) => 40 + i);
    const trainer = makeTrainer({ ...data, split: { train, validation } }, layers, { epochs: 2, batchSize: 8 });
    expect([trainer.trainRows, trainer.validationRows]).toEqual([40, 10]);
    // Rows 50…59 are never touched: changing them changes nothing.
    const changed = Float32Array.from(data.x);
    changed.fill(1e6, 50 * 4);
    const other = makeTrainer({ ...data, x: changed, split: { train, validation } }, layers, { epochs: 2, batchSize: 8 });
    await trainer.run();
    await other.run();
    expect(sameWeights(trainer.model(), other.model())).toBe(true);
  });

  it('weighs rows: a row of weight 2 counts as that row twice (full-batch gradient descent)', async () => {
    const base = blobs(12, 3, 3, 2);
    const weights = Float32Array.from({ length: 12 }, (_, r) => (r === 0 || r === 5 ? 2 : 1));
    const weighted: Dataset = { ...base, weights };
    // The same rows with rows 0 and 5 appearing twice.
    const order = [...Array.from({ length: 12 }, (_, r) => r), 0, 5];
    const duplicated: Dataset = {
      ...base, rows: 14,
      x: Float32Array.from(order.flatMap((r) => Array.from(base.x.subarray(r * 3, r * 3 + 3)))),
      y: Float32Array.from(order, (r) => base.y[r]),
    };
    const input = { epochs: 5, batchSize: 64, validationSplit: 0, shuffle: false, normalize: false, optimizer: { type: 'sgd' as const, learningRate: 0.5 } };
    const a = makeTrainer(weighted, layers, input);
    const b = makeTrainer(duplicated, layers, input);
    await a.run();
    await b.run();
    const wa = a.model().layers[0].weight;
    const wb = b.model().layers[0].weight;
    wa.forEach((w, i) => expect(w).toBeCloseTo(wb[i], 5));
    expect(sameWeights(a.model(), b.model())).toBe(false); // not the same floats: a real weighting, not a no-op
  });

  it('resumes bit-identically with a split, row weights and a given normalisation', async () => {
    const data: Dataset = {
      ...blobs(80, 4, 3, 3),
      split: { train: Uint32Array.from({ length: 60 }, (_, i) => i + 20), validation: Uint32Array.from({ length: 20 }, (_, i) => i) },
      weights: Float32Array.from({ length: 80 }, (_, r) => 1 + (r % 3)),
    };
    const spec = { inputSize: 4, layers };
    const training = resolveTrainingConfig({ epochs: 6, batchSize: 7 }, { task: 'classification', outputActivation: 'softmax' });
    const normalization = { mean: [0.5, 0, 0, 1], std: [2, 1, 1, 3] };
    const whole = new Trainer({ spec, training, data, kernel: new JsKernel(), normalization });
    await whole.run();
    const first = new Trainer({ spec, training, data, kernel: new JsKernel(), normalization });
    await first.run({ stopAfterSteps: 17 });
    const resumed = Trainer.restore(first.saveState(), data, new JsKernel());
    await resumed.run();
    expect(sameWeights(whole.model(), resumed.model())).toBe(true);
    expect(whole.model().normalization).toEqual(normalization);
  });

  it('reports regression losses and metrics in the target units when the targets were standardised', async () => {
    const rows = 50;
    const x = Float32Array.from({ length: rows * 2 }, (_, i) => Math.sin(i * 0.7));
    const target = Float64Array.from({ length: rows }, (_, r) => 100 + 30 * x[r * 2] - 10 * x[r * 2 + 1]);
    const mean = 100;
    const std = 20;
    const data: Dataset = {
      task: 'regression', features: ['a', 'b'], target: 'price', rows, x,
      y: Float32Array.from(target, (t) => (t - mean) / std),
      split: { train: Uint32Array.from({ length: 40 }, (_, i) => i), validation: Uint32Array.from({ length: 10 }, (_, i) => 40 + i) },
      preprocessing: { columns: [], inputs: ['a', 'b'], target: { mean, std } },
    };
    const trainer = makeTrainer(data, [{ units: 8, activation: 'tanh' }, { units: 1, activation: 'linear' }], { epochs: 30, batchSize: 10, optimizer: { learningRate: 0.02 } });
    const outcome = await trainer.run();
    const model = trainer.model();
    // Independently: predictions (predict undoes the standardisation) against the raw validation targets.
    const vx = x.subarray(40 * 2);
    const predicted = predict(model, vx, 10, new JsKernel());
    const errors = Array.from(predicted, (p, i) => p - target[40 + i]);
    const sse = errors.reduce((s, e) => s + e * e, 0);
    const valMean = target.subarray(40).reduce((a, b) => a + b) / 10;
    const sst = target.subarray(40).reduce((s, t) => s + (t - valMean) ** 2, 0);
    const metrics = outcome.metrics!;
    expect(metrics.valRmse).toBeCloseTo(Math.sqrt(sse / 10), 3);
    expect(metrics.valLoss).toBeCloseTo(sse / 10, 1);
    expect(metrics.valMae).toBeCloseTo(errors.reduce((s, e) => s + Math.abs(e), 0) / 10, 3);
    expect(metrics.valR2).toBeCloseTo(1 - sse / sst, 4);
    expect(metrics.rmse).toBeGreaterThan(0);
    expect(model.preprocessing?.target).toEqual({ mean, std });
  });
});
