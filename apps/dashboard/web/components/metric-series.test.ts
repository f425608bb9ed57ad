import { describe, expect, it } from 'vitest';
import { MetricSeries } from './metric-series.ts';

describe('MetricSeries', () => {
  it('orders points by step and lets a repeated step replace the earlier point', () => {
    const series = new MetricSeries();
    series.upsert({ epoch: 2, step: 20, loss: 0.5, valLoss: 0.6 });
    series.upsert({ epoch: 1, step: 10, loss: 0.9, valLoss: 1.0 });
    series.upsert({ epoch: 2, step: 20, loss: 0.4, valLoss: 0.55 }); // the epoch ran again after a resume
    expect(series.size).toBe(2);
    expect(series.columns(10)).toEqual({ x: [1, 2], loss: [0.9, 0.4], valLoss: [1.0, 0.55], accuracy: [null, null], valAccuracy: [null, null] });
    expect(series.hasAccuracy).toBe(false);
  });

  it('places points inside an epoch at fractional epochs, and falls back to the epoch number', () => {
    const series = new MetricSeries();
    series.upsert({ epoch: 1, step: 5, loss: 1, accuracy: 0.5 });
    series.upsert({ epoch: 1, step: 10, loss: 0.8, accuracy: 0.6 });
    expect(series.columns(10).x).toEqual([0.5, 1]);
    expect(series.columns(null).x).toEqual([1, 1]);
    expect(series.hasAccuracy).toBe(true);
  });
});
