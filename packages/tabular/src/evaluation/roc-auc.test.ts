import { describe, expect, it } from 'vitest';
import { rocAuc } from './roc-auc.ts';

/** rows of [p(class 0), p(class 1)] → the flat rows×2 layout. */
const binary = (positiveScores: number[]) => Float64Array.from(positiveScores.flatMap((p) => [1 - p, p]));

describe('rocAuc', () => {
  it('is the share of positive–negative pairs ranked right (sklearn docs: 0.75)', () => {
    expect(rocAuc([0, 0, 1, 1], binary([0.1, 0.4, 0.35, 0.8]), 2)).toBe(0.75);
  });

  it('counts a tie as half a pair (average ranks)', () => {
    // Pairs (positive, negative): (0.5, 0.5) tie, (0.5, 0.2) win, (0.9, 0.5) win, (0.9, 0.2) win.
    expect(rocAuc([1, 0, 1, 0], binary([0.5, 0.5, 0.9, 0.2]), 2)).toBe(3.5 / 4);
    expect(rocAuc([0, 1, 0, 1], binary([0.5, 0.5, 0.5, 0.5]), 2)).toBe(0.5);
  });

  it('is null when a class has no positives or no negatives', () => {
    expect(rocAuc([1, 1, 1], binary([0.2, 0.5, 0.9]), 2)).toBeNull();
    expect(rocAuc([2, 2], Float64Array.from([0.2, 0.3, 0.5, 0.1, 0.1, 0.8]), 3)).toBeNull();
  });

  it('averages one-vs-rest over the classes where it is defined', () => {
    const probabilities = Float64Array.from([0.6, 0.3, 0.1, 0.2, 0.7, 0.1, 0.5, 0.2, 0.3, 0.4, 0.5, 0.1]);
    // class 0: positives {0.6, 0.4} vs negatives {0.2, 0.5} → 3/4; class 1: {0.7, 0.2} vs {0.3, 0.5} → 2/4;
    // class 2 has no positives and is left out of the mean.
    expect(rocAuc([0, 1, 1, 0], probabilities, 3)).toBe((3 / 4 + 2 / 4) / 2);
  });
});
