import { Rng } from '@trainyard/backprop';
import { beforeAll, describe, expect, it } from 'vitest';
import { regressionMetrics } from './regression-metrics.ts';
import { askSklearn, sklearnAvailable, type SklearnRegression } from './sklearn-reference.ts';

interface Case {
  name: string;
  actual: Float64Array | Float32Array | number[];
  predicted: Float64Array | Float32Array | number[];
}

/** y = 3x + 1000 + noise, predicted with a slightly wrong slope: large values, small errors. */
function noisyLine(seed: number, rows: number, float32: boolean): Pick<Case, 'actual' | 'predicted'> {
  const rng = new Rng(seed);
  const Values = float32 ? Float32Array : Float64Array;
  const actual = new Values(rows);
  const predicted = new Values(rows);
  for (let r = 0; r < rows; r++) {
    const x = rng.gaussian() * 10;
    actual[r] = 3 * x + 1000 + rng.gaussian();
    predicted[r] = 2.9 * x + 1000.2;
  }
  return { actual, predicted };
}

const cases: Case[] = [
  { name: 'noisy line, float64, odd rows', ...noisyLine(1, 501, false) },
  { name: 'noisy line, float32, even rows', ...noisyLine(2, 1000, true) },
  { name: 'worse than the mean (negative r2)', actual: [1, 2, 3, 4], predicted: [4, 3, 2, 1] },
  { name: 'perfect predictions', actual: [0.5, -2, 7], predicted: [0.5, -2, 7] },
  { name: 'constant target, exact predictions', actual: [5, 5, 5], predicted: [5, 5, 5] },
  { name: 'constant target, inexact predictions', actual: [5, 5, 5, 5], predicted: [5, 6, 5, 4] },
];

describe('regressionMetrics against scikit-learn', () => {
  let answers: SklearnRegression[] = [];
  beforeAll(() => {
    if (!sklearnAvailable) return;
    answers = askSklearn<SklearnRegression>(cases.map((c) => ({ kind: 'regression', actual: Array.from(c.actual), predicted: Array.from(c.predicted) })));
  });

  for (const [index, c] of cases.entries()) {
    it.skipIf(!sklearnAvailable)(`${c.name}: every number matches sklearn`, () => {
      const result = regressionMetrics(c.actual, c.predicted);
      for (const key of ['rmse', 'mae', 'r2', 'medianAbsoluteError'] as const) {
        const reference = answers[index][key];
        expect(Math.abs(result[key] - reference), `${key}: ${result[key]} vs sklearn ${reference}`).toBeLessThanOrEqual(1e-9);
      }
    });
  }
});

describe('regressionMetrics', () => {
  it('follows sklearn on a constant target: 1 when exact, 0 otherwise', () => {
    expect(regressionMetrics([5, 5], [5, 5]).r2).toBe(1);
    expect(regressionMetrics([5, 5], [5, 6]).r2).toBe(0);
  });

  it('treats one row as a constant target (sklearn alone would say NaN)', () => {
    expect(regressionMetrics([2], [2])).toEqual({ rmse: 0, mae: 0, r2: 1, medianAbsoluteError: 0 });
    expect(regressionMetrics([2], [5])).toEqual({ rmse: 3, mae: 3, r2: 0, medianAbsoluteError: 3 });
  });

  it('says which lengths disagree', () => {
    expect(() => regressionMetrics([1, 2], [1])).toThrow('actual has 2 rows, predicted 1');
    expect(() => regressionMetrics([], [])).toThrow('no rows');
  });
});
