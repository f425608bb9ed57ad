import { describe, expect, it } from 'vitest';
import { permutationImportance, type ColumnPermutation } from './permutation-importance.ts';

const features = ['age', 'income', 'zip'];
const rows = 8;

/** A "model" that predicts y = income exactly: its accuracy is the share of rows income stays in. */
function incomeOnlyAccuracy(permutation: ColumnPermutation | null): number {
  if (permutation === null || features[permutation.feature] !== 'income') return 1;
  let kept = 0;
  for (let r = 0; r < rows; r++) if (permutation.order[r] === r) kept++;
  return kept / rows;
}

/** Runs permutationImportance and keeps a copy of every order it was shown (the buffer is reused). */
function recorded(seed: number, repeats?: number) {
  const calls: (ColumnPermutation | null)[] = [];
  const importances = permutationImportance({
    features,
    rows,
    seed,
    repeats,
    score: (permutation) => {
      calls.push(permutation && { feature: permutation.feature, order: permutation.order.slice() });
      return incomeOnlyAccuracy(permutation);
    },
  });
  return { importances, calls };
}

describe('permutationImportance', () => {
  it('gives the feature the score depends on its mean drop, and the others exactly 0', () => {
    const { importances, calls } = recorded(42);
    const incomeShuffles = calls.filter((c) => c !== null && c.feature === 1);
    expect(incomeShuffles).toHaveLength(5);
    const expected = incomeShuffles.reduce((sum, c) => sum + (1 - incomeOnlyAccuracy(c)), 0) / 5;
    expect(expected).toBeGreaterThan(0.5);
    expect(importances).toEqual([
      { feature: 'income', importance: expected },
      { feature: 'age', importance: 0 },
      { feature: 'zip', importance: 0 },
    ]);
  });

  it('scores the baseline first, then every feature `repeats` times', () => {
    const { calls } = recorded(7);
    expect(calls[0]).toBeNull();
    expect(calls.slice(1).map((c) => c?.feature)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    expect(recorded(7, 2).calls).toHaveLength(1 + 3 * 2);
  });

  it('shows each shuffle as a permutation of 0…rows−1', () => {
    const identity = Array.from({ length: rows }, (_, i) => i);
    for (const call of recorded(3).calls.slice(1)) {
      expect(Array.from(call!.order).sort((a, b) => a - b)).toEqual(identity);
    }
  });

  it('shuffles the same way for the same seed, and differently for another', () => {
    const orders = (seed: number) => recorded(seed).calls.slice(1).map((c) => Array.from(c!.order));
    expect(orders(11)).toEqual(orders(11));
    expect(orders(11)).not.toEqual(orders(12));
  });

  it('sorts highest first, equal importances in feature order', () => {
    const drops = [0.5, 0, 0.75, -0.25, 0];
    const importances = permutationImportance({
      features: ['a', 'b', 'c', 'd', 'e'],
      rows: 4,
      seed: 1,
      score: (permutation) => (permutation === null ? 1 : 1 - drops[permutation.feature]),
    });
    expect(importances).toEqual([
      { feature: 'c', importance: 0.75 },
      { feature: 'a', importance: 0.5 },
      { feature: 'b', importance: 0 },
      { feature: 'e', importance: 0 },
      { feature: 'd', importance: -0.25 },
    ]);
  });

  it('rejects a bad row count or repeat count', () => {
    const score = () => 1;
    expect(() => permutationImportance({ features, rows: -1, seed: 1, score })).toThrow('rows must be a non-negative integer, got -1');
    expect(() => permutationImportance({ features, rows, repeats: 0, seed: 1, score })).toThrow('repeats must be a positive integer, got 0');
  });
});
