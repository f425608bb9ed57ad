import { describe, expect, it } from 'vitest';
import { jobProgress } from './job-view.ts';

describe('jobProgress', () => {
  const row = { status: 'running', epoch: 2, epochs: 10, step: 30, steps: 150 };
  it('is the share of steps taken, whole once the job succeeded (early stopping included)', () => {
    expect(jobProgress(row)).toEqual({ epoch: 2, epochs: 10, step: 30, steps: 150, fraction: 0.2 });
    expect(jobProgress({ ...row, status: 'succeeded' }).fraction).toBe(1);
    expect(jobProgress({ ...row, status: 'cancelled' }).fraction).toBe(0.2);
  });
  it('is 0 before the step count is known and never above 1', () => {
    expect(jobProgress({ ...row, step: 0, steps: 0 }).fraction).toBe(0);
    expect(jobProgress({ ...row, step: 200 }).fraction).toBe(1);
  });
});
