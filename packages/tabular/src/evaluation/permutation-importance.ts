import { Rng } from '@trainyard/backprop';

/** One feature shuffled: row r takes that feature's value from row order[r]. */
export interface ColumnPermutation {
  feature: number;
  /** A permutation of 0…rows−1. The buffer is reused: valid only during the score call. */
  order: Uint32Array;
}

export interface PermutationImportanceOptions {
  features: string[];
  rows: number;
  /** Shuffles per feature; 5 unless given. */
  repeats?: number;
  seed: number;
  /** The model's score (higher is better) with one feature shuffled, or as is for null. */
  score: (permutation: ColumnPermutation | null) => number;
}

export interface FeatureImportance {
  feature: string;
  importance: number;
}

/**
 * Per feature, the mean drop of `score` from the unshuffled baseline over `repeats` seeded shuffles of
 * that feature; highest first, ties in feature order. The same seed gives the same shuffles.
 */
export function permutationImportance(options: PermutationImportanceOptions): FeatureImportance[] {
  const { features, rows, repeats = 5, seed, score } = options;
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`permutationImportance: rows must be a non-negative integer, got ${rows}`);
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`permutationImportance: repeats must be a positive integer, got ${repeats}`);

  const baseline = score(null);
  const rng = new Rng(seed);
  const order = new Uint32Array(rows);
  const importances = features.map((feature, index) => {
    let drop = 0;
    for (let repeat = 0; repeat < repeats; repeat++) {
      for (let r = 0; r < rows; r++) order[r] = r;
      rng.shuffle(order);
      drop += baseline - score({ feature: index, order });
    }
    return { feature, importance: drop / repeats };
  });
  // Array.prototype.sort is stable, so equal importances keep feature order.
  return importances.sort((a, b) => b.importance - a.importance);
}
