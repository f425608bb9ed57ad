import { describe, expect, it } from 'vitest';
import type { Evaluation } from '@trainyard/client';
import { describeEvaluation } from './evaluation-report.ts';

const CLASSIFICATION: Evaluation = {
  jobId: 'job_1', snapshotId: 'snap_1', split: 'test', rows: 12,
  classification: {
    accuracy: 0.75, balancedAccuracy: 0.7, logLoss: 0.61234, macroF1: 0.72, weightedF1: 0.74, rocAuc: null,
    perClass: [
      { label: 'Adelie', precision: 0.8, recall: 1, f1: 0.8889, support: 4 },
      { label: 'Gentoo', precision: 1, recall: 0.5, f1: 0.6667, support: 8 },
    ],
    confusion: { labels: ['Adelie', 'Gentoo'], counts: [[4, 0], [1, 7]] },
  },
  featureImportance: [
    { feature: 'island', importance: 0.1 },
    { feature: 'mass', importance: -0.02 },
    { feature: 'flipper', importance: 0.4 },
  ],
};

describe('describeEvaluation', () => {
  it('shows the scores, a labelled confusion matrix, per-class scores and sorted importance bars', () => {
    expect(describeEvaluation(CLASSIFICATION).split('\n')).toEqual([
      'job_1: test split, 12 rows, snapshot snap_1',
      '',
      'accuracy           0.75',
      'balanced accuracy  0.7',
      'macro F1           0.72',
      'weighted F1        0.74',
      'log loss           0.6123',
      'ROC AUC            -',
      '',
      'confusion matrix (rows: true class, columns: predicted)',
      'TRUE \\ PREDICTED  Adelie  Gentoo',
      'Adelie                 4       0',
      'Gentoo                 1       7',
      '',
      'CLASS   PRECISION  RECALL  F1      SUPPORT',
      'Adelie  0.8        1       0.8889        4',
      'Gentoo  1          0.5     0.6667        8',
      '',
      'feature importance (mean drop of accuracy when the column is shuffled)',
      'FEATURE  IMPORTANCE',
      'flipper         0.4  ████████████████████████',
      'island          0.1  ██████',
      'mass          -0.02',
    ]);
  });

  it('shows regression scores and the drop of R²', () => {
    const text = describeEvaluation({
      jobId: 'job_2', snapshotId: 'snap_2', split: 'validation', rows: 30,
      regression: { rmse: 2.5, mae: 1.75, r2: 0.8125, medianAbsoluteError: 1.5 },
      featureImportance: [{ feature: 'wind', importance: 0.3 }],
    });
    expect(text).toContain('rmse                   2.5\nmae                    1.75\nr2                     0.8125\nmedian absolute error  1.5');
    expect(text).toContain('mean drop of R² when');
    expect(text).not.toContain('confusion');
  });
});
