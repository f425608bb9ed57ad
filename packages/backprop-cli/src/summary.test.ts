import { describe, expect, it } from 'vitest';
import type { TrainOutcome } from '@trainyard/backprop';
import type { ModelEvaluation } from '@trainyard/tabular';
import { summary } from './summary.ts';

const outcome: TrainOutcome = {
  status: 'completed', epochsRun: 3, steps: 30, samplesPerSecond: 1000, stoppedEarly: false, backend: 'js',
  metrics: { loss: 0.5, accuracy: 0.75, valLoss: 0.6, valAccuracy: 0.7 },
};
const importance = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((feature, i) => ({ feature, importance: 0.7 - i / 10 }));
const perClass = [{ label: 'x', precision: 1, recall: 1, f1: 1, support: 3 }];

describe('the stdout summary', () => {
  it('classification: issue 2\'s fields, then the evaluation\'s headline scores and the five most important columns', () => {
    const evaluation = {
      split: 'test', rows: 40, featureImportance: importance,
      classification: { accuracy: 0.8, balancedAccuracy: 0.7, logLoss: 0.4, macroF1: 0.65, weightedF1: 0.79, rocAuc: 0.9, perClass, confusion: { labels: ['x'], counts: [[3]] } },
    } as ModelEvaluation;
    expect(summary(outcome, evaluation)).toEqual({
      epochsRun: 3,
      metrics: { loss: 0.5, accuracy: 0.75, valLoss: 0.6, valAccuracy: 0.7 },
      samplesPerSecond: 1000, backend: 'js', stoppedEarly: false,
      evaluation: { split: 'test', rows: 40, accuracy: 0.8, balancedAccuracy: 0.7, macroF1: 0.65, topFeatures: importance.slice(0, 5) },
    });
  });

  it('regression: errors in the metrics and the evaluation, absent accuracies as null', () => {
    const metrics = { loss: 4, valLoss: 5, rmse: 2, mae: 1.5, r2: 0.9, valRmse: 2.2, valMae: 1.7, valR2: 0.88 };
    const evaluation = {
      split: 'validation', rows: 20, featureImportance: importance.slice(0, 2),
      regression: { rmse: 2.1, mae: 1.6, r2: 0.89, medianAbsoluteError: 1.2, predictedVsActual: [] },
    } as ModelEvaluation;
    const line = summary({ ...outcome, metrics }, evaluation);
    expect(line.metrics).toEqual({ loss: 4, accuracy: null, valLoss: 5, valAccuracy: null, rmse: 2, mae: 1.5, r2: 0.9, valRmse: 2.2, valMae: 1.7, valR2: 0.88 });
    expect(line.evaluation).toEqual({ split: 'validation', rows: 20, rmse: 2.1, mae: 1.6, r2: 0.89, topFeatures: importance.slice(0, 2) });
  });

  it('an interrupted run before its first epoch: null metrics, no evaluation', () => {
    expect(summary({ ...outcome, status: 'aborted', epochsRun: 0, metrics: null }, null)).toMatchObject({
      metrics: { loss: null, accuracy: null, valLoss: null, valAccuracy: null }, evaluation: null,
    });
  });
});
