import { describe, expect, it } from 'vitest';
import { Leaderboard } from './leaderboard.ts';
import type { Trial } from './types.ts';

const trial = (index: number, value: number | null, extra: Partial<Trial> = {}): Trial => ({
  jobId: `job_${index}`, trial: index, status: 'succeeded', parameters: { 'training.batchSize': 8 * (index + 1) }, value, epochs: 5, stopReason: null, ...extra,
});

describe('Leaderboard', () => {
  it('ranks towards the goal, ties by trial index, trials without a value last by index', () => {
    const board = new Leaderboard('minimize');
    for (const row of [trial(0, 0.5), trial(1, null), trial(2, 0.2), trial(3, 0.5), trial(4, null)]) board.upsert(row);
    expect(board.rows().map((row) => row.trial)).toEqual([2, 0, 3, 1, 4]);
    board.setGoal('maximize');
    expect(board.rows().map((row) => row.trial)).toEqual([0, 3, 2, 1, 4]);
  });

  it('keeps the latest row of a trial and says whether anything changed', () => {
    const board = new Leaderboard('maximize');
    expect(board.upsert(trial(0, null, { status: 'running', epochs: 0 }))).toBe(true);
    expect(board.upsert(trial(1, 0.6))).toBe(true);
    expect(board.upsert(trial(1, 0.6))).toBe(false);
    expect(board.upsert(trial(0, 0.9, { status: 'running', epochs: 2 }))).toBe(true);
    expect(board.rows().map((row) => [row.trial, row.value])).toEqual([[0, 0.9], [1, 0.6]]);
    expect(board.size).toBe(2);
    board.reset([trial(5, 0.1)]);
    expect(board.rows().map((row) => row.jobId)).toEqual(['job_5']);
  });
});
