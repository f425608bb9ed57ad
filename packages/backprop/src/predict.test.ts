import { describe, expect, it } from 'vitest';
import { loadBuiltin } from './data/builtins.ts';
import type { Dataset } from './dataset.ts';
import { JsKernel } from './kernels/js-kernel.ts';
import { evaluate, predict } from './predict.ts';
import { Rng } from './rng.ts';
import type { SavedModel } from './saved-model.ts';
import { splitRows } from './split.ts';
import { makeTrainer } from './testing/trainers.ts';

const kernel = new JsKernel();

/** 3 → 4 (tanh) → 2 (sigmoid), random weights, with normalisation. */
function randomModel(seed: number): SavedModel {
  const rng = new Rng(seed);
  const values = (n: number) => Float32Array.from({ length: n }, () => rng.gaussian());
  return {
    architecture: { inputSize: 3, layers: [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'sigmoid' }] },
    layers: [{ weight: values(12), bias: values(4) }, { weight: values(8), bias: values(2) }],
    normalization: { mean: [1, -2, 0.5], std: [2, 0.5, 1] },
  };
}

/** The same network, row by row in float64. */
function reference(model: SavedModel, row: number[]): number[] {
  let a = row.map((v, f) => (v - model.normalization!.mean[f]) / model.normalization!.std[f]);
  model.layers.forEach(({ weight, bias }, l) => {
    const z = Array.from(bias, (b, i) => b + a.reduce((sum, v, j) => sum + weight[i * a.length + j] * v, 0));
    a = z.map(model.architecture.layers[l].activation === 'tanh' ? Math.tanh : (v) => 1 / (1 + Math.exp(-v)));
  });
  return a;
}

describe('predict', () => {
  it('normalises raw inputs and runs the network, in chunks for many rows', () => {
    const model = randomModel(1);
    const rng = new Rng(2);
    const rows = 2500; // crosses the 1024-row chunks
    const x = Float32Array.from({ length: rows * 3 }, () => rng.gaussian() * 3);
    const out = predict(model, x, rows, kernel);
    expect(out.length).toBe(rows * 2);
    for (let r = 0; r < rows; r += 97) {
      const expected = reference(model, Array.from(x.subarray(r * 3, r * 3 + 3)));
      expect(out[r * 2]).toBeCloseTo(expected[0], 5);
      expect(out[r * 2 + 1]).toBeCloseTo(expected[1], 5);
    }
    expect(predict(model, new Float32Array(0), 0, kernel).length).toBe(0);
  });

  it('refuses inputs or weights of the wrong shape', () => {
    const model = randomModel(3);
    expect(() => predict(model, new Float32Array(7), 2, kernel)).toThrow(expect.objectContaining({ code: 'shape_mismatch', message: expect.stringMatching(/2×3/) }));
    const broken = { ...model, layers: [model.layers[0], { weight: new Float32Array(6), bias: new Float32Array(2) }] };
    expect(() => predict(broken, new Float32Array(3), 1, kernel)).toThrow(expect.objectContaining({ code: 'shape_mismatch', message: expect.stringMatching(/layer 1/) }));
  });
});

describe('evaluate', () => {
  it('gives the validation metrics the trainer reported, on the held-out rows alone', async () => {
    const iris = loadBuiltin('iris');
    const trainer = makeTrainer(iris, [{ units: 6, activation: 'relu' }, { units: 3, activation: 'softmax' }], { epochs: 5, seed: 3 });
    const outcome = await trainer.run();
    const { validation } = splitRows(iris.rows, 0.2, 3);
    const held: Dataset = {
      ...iris, rows: validation.length,
      x: Float32Array.from(Array.from(validation).flatMap((r) => Array.from(iris.x.subarray(r * 4, r * 4 + 4)))),
      y: Float32Array.from(validation, (r) => iris.y[r]),
    };
    const metrics = evaluate(trainer.model(), held, 'cross_entropy', kernel);
    expect(metrics.loss).toBeCloseTo(outcome.metrics!.valLoss!, 6);
    expect(metrics.accuracy).toBe(outcome.metrics!.valAccuracy);
  });
});
