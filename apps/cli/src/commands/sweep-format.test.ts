import { describe, expect, it } from 'vitest';
import type { Sweep, Trial } from '@trainyard/client';
import { formatCounts, formatParameters, leaderboardTable, statusLine, trialLine } from './sweep-format.ts';

const trial = (overrides: Partial<Trial>): Trial => ({
  jobId: 'job_a', trial: 0, status: 'succeeded', parameters: {}, value: null, epochs: 0, stopReason: null, ...overrides,
});

describe('formatParameters', () => {
  it('names each path by its shortest suffix no other path shares, in the order of the paths', () => {
    const text = formatParameters({ 'training.optimizer.learningRate': 0.012345, 'model.layers.0.units': 16, 'model.layers.1.units': 8, 'training.shuffle': false });
    expect(text).toBe('0.units=16 1.units=8 learningRate=0.01235 shuffle=false');
  });

  it('keeps a whole path that is the suffix of another, and strings bare', () => {
    expect(formatParameters({ units: 4, 'model.units': 8, 'model.layers.0.activation': 'tanh' })).toBe('activation=tanh model.units=8 units=4');
  });
});

describe('formatCounts', () => {
  it('lists the nonzero counts with the pruned share of the succeeded ones', () => {
    const counts = { total: 6, queued: 1, running: 2, succeeded: 3, failed: 0, cancelled: 0, pruned: 1 };
    expect(formatCounts(counts)).toBe('2 running, 3 succeeded (1 pruned), 1 queued of 6');
    expect(formatCounts({ ...counts, queued: 0, running: 0, succeeded: 0, pruned: 0 })).toBe('none started of 6');
  });
});

describe('leaderboardTable', () => {
  it('ranks the trials that have a value, in the API\'s order, with their parameters, epochs and stop reason', () => {
    const table = leaderboardTable([
      trial({ jobId: 'job_b', trial: 1, parameters: { 'training.batchSize': 8 }, value: 0.1234, epochs: 12, stopReason: 'early_stopping' }),
      trial({ jobId: 'job_a', trial: 0, parameters: { 'training.batchSize': 16 }, value: 0.5, epochs: 4, stopReason: 'pruned' }),
      trial({ jobId: 'job_c', trial: 2, status: 'queued', parameters: { 'training.batchSize': 32 } }),
    ]);
    expect(table.split('\n')).toEqual([
      'RANK  JOB    STATUS     PARAMETERS     VALUE  EPOCHS  STOP_REASON',
      '   1  job_b  succeeded  batchSize=8   0.1234      12  early_stopping',
      '   2  job_a  succeeded  batchSize=16     0.5       4  pruned',
      '   -  job_c  queued     batchSize=32       -       0  -',
    ]);
  });
});

describe('live lines', () => {
  it('says what changed for a trial, and for the sweep', () => {
    const row = trial({ jobId: 'job_b', trial: 3, status: 'running', parameters: { 'training.epochs': 5 }, value: 0.25, epochs: 1 });
    expect(trialLine(row, 'valLoss')).toBe('trial 3 job_b running · 1 epoch · valLoss 0.25 · epochs=5');
    const sweep = {
      id: 'sweep_1', status: 'running', cancelRequested: false, objective: { metric: 'valAccuracy', goal: 'maximize' },
      trials: { total: 4, queued: 2, running: 2, succeeded: 0, failed: 0, cancelled: 0, pruned: 0 },
      best: { jobId: 'job_b', value: 0.9667, parameters: {} },
    } as unknown as Sweep;
    expect(statusLine(sweep)).toBe('sweep_1 running · 2 running, 2 queued of 4 · best valAccuracy 0.9667 (job_b)');
  });
});
