import { loadBuiltin, predict, Trainer, resolveTrainingConfig, selectKernel } from '@trainyard/backprop';
import { describe, expect, it } from 'vitest';
import { evaluateModel } from './evaluate-model.ts';
import { prepareMatrixTraining } from './prepare-matrix.ts';
import { dataOptionsOf } from './prepare-training.ts';

describe('evaluateModel', () => {
  it('scores the test rows of a trained model as an independent forward pass does, with a column importance each', async () => {
    const iris = loadBuiltin('builtin:iris');
    const training = resolveTrainingConfig({ epochs: 60, testSplit: 0.2, seed: 3, optimizer: { learningRate: 0.02 } }, { task: 'classification', outputActivation: 'softmax' });
    const data = prepareMatrixTraining(iris, dataOptionsOf(training, null));
    const spec = { inputSize: 4, layers: [{ units: 8, activation: 'relu' as const }, { units: 3, activation: 'softmax' as const }] };
    const kernel = selectKernel({ backend: 'js' });
    const trainer = new Trainer({ spec, training, data: data.dataset, kernel, normalization: data.normalization });
    await trainer.run();
    const model = trainer.model();
    const evaluation = evaluateModel(model, data, training.seed, kernel);

    expect(evaluation.split).toBe('test');
    expect(evaluation.rows).toBe(30);
    // Independently: raw iris rows of the test split, standardised by hand with the model's own numbers, through predict.
    const test = [...data.split.test];
    const x = new Float32Array(test.length * 4);
    test.forEach((row, i) => x.set(iris.x.subarray(row * 4, row * 4 + 4), i * 4));
    const out = predict(model, x, test.length, kernel);
    const correct = test.filter((row, i) => {
      const p = Array.from(out.subarray(i * 3, i * 3 + 3));
      return p.indexOf(Math.max(...p)) === iris.y[row];
    }).length;
    const classification = evaluation.classification!;
    expect(classification.accuracy).toBeCloseTo(correct / test.length, 12);
    expect(classification.confusion.labels).toEqual(iris.classes);
    expect(classification.confusion.counts.flat().reduce((a, b) => a + b)).toBe(30);
    expect(classification.accuracy).toBeGreaterThan(0.85);
    expect(evaluation.featureImportance.map((f) => f.feature).sort()).toEqual([...iris.features].sort());
    // Petal measurements carry iris; shuffling one of them costs accuracy.
    expect(Math.max(...evaluation.featureImportance.filter((f) => f.feature.startsWith('petal')).map((f) => f.importance))).toBeGreaterThan(0.05);
  });
});
