import { describe, expect, it } from 'vitest';
import { MetricSeries } from './metric-series.ts';

const none = [null, null];

describe('MetricSeries', () => {
  it('orders points by step and lets a repeated step replace the earlier point', () => {
    const series = new MetricSeries();
    series.upsert({ epoch: 2, step: 20, loss: 0.5, valLoss: 0.6 });
    series.upsert({ epoch: 1, step: 10, loss: 0.9, valLoss: 1.0 });
    series.upsert({ epoch: 2, step: 20, loss: 0.4, valLoss: 0.55 }); // the epoch ran again after a resume
    expect(series.size).toBe(2);
    expect(series.columns(10)).toEqual({
      x: [1, 2], loss: [0.9, 0.4], valLoss: [1.0, 0.55], accuracy: none, valAccuracy: none, rmse: none, valRmse: none, r2: none, valR2: none,
    });
    expect(series.hasAccuracy).toBe(false);
    expect(series.hasRegression).toBe(false);
  });

  it('places points inside an epoch at fractional epochs, and falls back to the epoch number', () => {
    const series = new MetricSeries();
    series.upsert({ epoch: 1, step: 5, loss: 1, accuracy: 0.5 });
    series.upsert({ epoch: 1, step: 10, loss: 0.8, accuracy: 0.6 });
    expect(series.columns(10).x).toEqual([0.5, 1]);
    expect(series.columns(null).x).toEqual([1, 1]);
    expect(series.hasAccuracy).toBe(true);
    expect(series.hasRegression).toBe(false);
  });

  it('keeps a regression job\'s RMSE and R² beside its loss, null where a point lacks them', () => {
    const series = new MetricSeries();
    series.upsert({ epoch: 1, step: 4, loss: 9, rmse: 3, r2: 0.1, valRmse: 3.5, valR2: 0.05 });
    series.upsert({ epoch: 1, step: 2, loss: 16 }); // a point within the epoch: training loss only
    series.upsert({ epoch: 2, step: 8, loss: 4, rmse: 2, r2: 0.6, valRmse: 2.5, valR2: 0.4 });
    const columns = series.columns(4);
    expect(columns.x).toEqual([0.5, 1, 2]);
    expect(columns.rmse).toEqual([null, 3, 2]);
    expect(columns.valRmse).toEqual([null, 3.5, 2.5]);
    expect(columns.r2).toEqual([null, 0.1, 0.6]);
    expect(columns.valR2).toEqual([null, 0.05, 0.4]);
    expect(columns.accuracy).toEqual([null, null, null]);
    expect(series.hasRegression).toBe(true);
    expect(series.hasAccuracy).toBe(false);
  });
});
