import { describe, expect, it } from 'vitest';
import { EtaEstimator, renderProgress } from './progress-bar.ts';

describe('renderProgress', () => {
  it('fills the bar in proportion and shows epoch, metrics and ETA', () => {
    const line = renderProgress(
      { status: 'running', epoch: 25, epochs: 100, fraction: 0.25, loss: 0.41234, valLoss: 0.5, accuracy: 0.9123, etaSeconds: 75 },
      8,
    );
    expect(line).toBe('running    epoch  25/100  ██░░░░░░   25.0%  loss 0.4123  val_loss 0.5  acc 91.2%  ETA 1:15');
  });

  it('clamps the fraction and shows an unknown ETA', () => {
    const line = renderProgress({ status: 'queued', epoch: 0, epochs: 5, fraction: 1.7, etaSeconds: null }, 4);
    expect(line).toBe('queued     epoch 0/5  ████  100.0%  ETA --:--');
  });
});

describe('EtaEstimator', () => {
  it('extrapolates the rate seen since the first observation', () => {
    const eta = new EtaEstimator();
    expect(eta.observe(0.1, 1_000)).toBeNull();
    // 0.2 of the work in 4 s → the remaining 0.7 takes 14 s.
    expect(eta.observe(0.3, 5_000)).toBeCloseTo(14, 10);
  });

  it('stays unknown while progress has not moved', () => {
    const eta = new EtaEstimator();
    eta.observe(0, 0);
    expect(eta.observe(0, 3_000)).toBeNull();
  });
});
