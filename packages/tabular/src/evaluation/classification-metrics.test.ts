import { Rng } from '@trainyard/backprop';
import { beforeAll, describe, expect, it } from 'vitest';
import { classificationMetrics, type ClassificationInput } from './classification-metrics.ts';
import { askSklearn, sklearnAvailable, type SklearnClassification } from './sklearn-reference.ts';

interface CaseSpec {
  name: string;
  seed: number;
  rows: number;
  classes: number;
  float32?: boolean;
  /** Integer weights 0…3 before normalising: many exact ties, and zeros that log loss must clip. */
  ties?: boolean;
  actualFrom?: number[];
  predictedFrom?: number[];
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Seeded rows whose probabilities lean to the true class most of the time, and predictions that mostly take the argmax. */
function makeInput(spec: CaseSpec): ClassificationInput {
  const { seed, rows, classes, float32 = false, ties = false } = spec;
  const actualFrom = spec.actualFrom ?? range(classes);
  const predictedFrom = spec.predictedFrom ?? range(classes);
  const rng = new Rng(seed);
  const pick = (values: number[]) => values[Math.floor(rng.next() * values.length)];
  const actual: number[] = [];
  const predicted: number[] = [];
  const probabilities = float32 ? new Float32Array(rows * classes) : new Float64Array(rows * classes);
  for (let r = 0; r < rows; r++) {
    const weights = range(classes).map(() => (ties ? Math.floor(rng.next() * 4) : -Math.log(1 - rng.next())));
    const truth = pick(actualFrom);
    if (rng.next() < 0.7) weights[truth] += ties ? 2 : 1.5;
    if (!weights.some((w) => w > 0)) weights[pick(range(classes))] = 1;
    const sum = weights.reduce((a, b) => a + b, 0);
    for (let c = 0; c < classes; c++) probabilities[r * classes + c] = weights[c] / sum;
    const argmax = predictedFrom.reduce((best, c) => (weights[c] > weights[best] ? c : best), predictedFrom[0]);
    actual.push(truth);
    predicted.push(rng.next() < 0.7 ? argmax : pick(predictedFrom));
  }
  return { labels: range(classes).map((c) => `class ${c}`), actual: Int32Array.from(actual), predicted: Int32Array.from(predicted), probabilities };
}

const specs: CaseSpec[] = [
  { name: 'binary', seed: 1, rows: 300, classes: 2 },
  { name: 'binary with tied probabilities and hard zeros', seed: 2, rows: 200, classes: 2, ties: true },
  { name: 'binary in float32', seed: 3, rows: 150, classes: 2, float32: true },
  { name: 'three classes', seed: 4, rows: 250, classes: 3 },
  { name: 'twelve classes, all present', seed: 5, rows: 500, classes: 12 },
  { name: 'thirteen classes, tied, class 4 never predicted, class 7 absent from actual', seed: 6, rows: 600, classes: 13, ties: true, actualFrom: range(13).filter((c) => c !== 7), predictedFrom: range(13).filter((c) => c !== 4) },
  { name: 'eleven classes in float32, tied, with hard zeros', seed: 7, rows: 400, classes: 11, float32: true, ties: true },
  { name: 'two of four classes present in actual', seed: 8, rows: 100, classes: 4, actualFrom: [0, 2] },
  { name: 'one class present in actual of three (AUC undefined)', seed: 9, rows: 50, classes: 3, actualFrom: [1] },
  { name: 'one class present in actual of two (AUC undefined)', seed: 10, rows: 40, classes: 2, actualFrom: [0] },
];
const cases = specs.map((spec) => ({ spec, input: makeInput(spec) }));

function expectClose(value: number | null, reference: number | null, tolerance: number, what: string): void {
  if (reference === null) {
    expect(value, `${what} should be undefined (null) as sklearn's`).toBeNull();
    return;
  }
  expect(value, `${what} is null, sklearn says ${reference}`).not.toBeNull();
  expect(Math.abs((value as number) - reference), `${what}: ${value} vs sklearn ${reference}`).toBeLessThanOrEqual(tolerance);
}

describe('classificationMetrics against scikit-learn', () => {
  let answers: SklearnClassification[] = [];
  beforeAll(() => {
    if (!sklearnAvailable) return;
    answers = askSklearn<SklearnClassification>(
      cases.map(({ spec, input }) => ({
        kind: 'classification',
        labels: input.labels,
        actual: Array.from(input.actual),
        predicted: Array.from(input.predicted),
        probabilities: Array.from(input.probabilities),
        float32: spec.float32 ?? false,
      })),
    );
  });

  for (const [index, { spec, input }] of cases.entries()) {
    it.skipIf(!sklearnAvailable)(`${spec.name}: every number matches sklearn`, () => {
      const reference = answers[index];
      const result = classificationMetrics(input);
      const tolerance = spec.float32 ? 1e-6 : 1e-9;
      for (const key of ['accuracy', 'balancedAccuracy', 'logLoss', 'macroF1', 'weightedF1', 'rocAuc'] as const) {
        expectClose(result[key], reference[key], tolerance, key);
      }
      expect(result.perClass.map((s) => s.label)).toEqual(input.labels);
      result.perClass.forEach((scores, c) => {
        expectClose(scores.precision, reference.precision[c], tolerance, `precision of ${scores.label}`);
        expectClose(scores.recall, reference.recall[c], tolerance, `recall of ${scores.label}`);
        expectClose(scores.f1, reference.f1[c], tolerance, `f1 of ${scores.label}`);
        expect(scores.support, `support of ${scores.label}`).toBe(reference.support[c]);
      });
      expect(result.confusion.labels).toEqual(input.labels);
      expect(result.confusion.counts).toEqual(reference.confusion);
    });
  }

  it('the cases hold what their names say', () => {
    const [, tiedBinary, , , , thirteen] = cases;
    const result = classificationMetrics(thirteen.input);
    expect(result.perClass[7].support).toBe(0);
    expect(result.confusion.counts.map((row) => row[4])).toEqual(new Array(13).fill(0));
    const scores = tiedBinary.input.probabilities.filter((_, i) => i % 2 === 1);
    expect(new Set(scores).size).toBeLessThan(scores.length / 10);
    expect(scores).toContain(0);
  });
});

describe('classificationMetrics', () => {
  it('counts confusion as [true][predicted] and keeps unseen classes', () => {
    const result = classificationMetrics({
      labels: ['cat', 'dog', 'eel'],
      actual: [0, 0, 1, 1],
      predicted: [0, 1, 1, 1],
      probabilities: Float64Array.from([0.8, 0.1, 0.1, 0.2, 0.75, 0.05, 0.2, 0.7, 0.1, 0.1, 0.8, 0.1]),
    });
    expect(result.confusion.counts).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [0, 0, 0],
    ]);
    expect(result.perClass[2]).toEqual({ label: 'eel', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(result.accuracy).toBe(0.75);
    expect(result.balancedAccuracy).toBe(0.75);
    // OvR over cat and dog only (eel has no positives): cat wins 3.5 of 4 pairs (0.2 ties 0.2), dog 3 of 4.
    expect(result.rocAuc).toBe((3.5 / 4 + 3 / 4) / 2);
  });

  it('says which shapes disagree', () => {
    const labels = ['a', 'b'];
    const probabilities = new Float64Array(4);
    expect(() => classificationMetrics({ labels, actual: [0, 1], predicted: [0], probabilities })).toThrow('actual has 2 rows, predicted 1');
    expect(() => classificationMetrics({ labels, actual: [0, 1], predicted: [0, 1], probabilities: new Float64Array(3) })).toThrow('probabilities hold 3 values, expected rows×labels = 2×2');
    expect(() => classificationMetrics({ labels, actual: [0, 2], predicted: [0, 1], probabilities })).toThrow('actual[1] = 2 is not a class index in 0…1');
    expect(() => classificationMetrics({ labels, actual: [], predicted: [], probabilities: new Float64Array(0) })).toThrow('no rows');
  });
});
