import { describe, expect, it } from 'vitest';
import { continuesAtRung, rungEpochs } from './asha.ts';

describe('rungEpochs', () => {
  it('puts rungs at minEpochs · reductionFactor^k below the last epoch', () => {
    expect(rungEpochs({ minEpochs: 1, reductionFactor: 3 }, 20)).toEqual([1, 3, 9]);
    expect(rungEpochs({ minEpochs: 2, reductionFactor: 2 }, 16)).toEqual([2, 4, 8]);
    expect(rungEpochs({ minEpochs: 1, reductionFactor: 3 }, 9)).toEqual([1, 3]);
    expect(rungEpochs({ minEpochs: 5, reductionFactor: 2 }, 5)).toEqual([]);
  });

  it('refuses settings that would never halve', () => {
    expect(() => rungEpochs({ minEpochs: 1, reductionFactor: 1 }, 10)).toThrow(/reductionFactor ≥ 2/);
    expect(() => rungEpochs({ minEpochs: 0, reductionFactor: 3 }, 10)).toThrow(/minEpochs ≥ 1/);
  });
});

describe('continuesAtRung: a hand-worked rung (reductionFactor 3)', () => {
  // Six trials reach the rung in this order (valLoss, minimised). Trial k is judged against the k − 1 before it:
  //   A 0.9: n=1, keep the best ⌈1/3⌉=1, none better           → continues
  //   B 0.5: n=2, keep 1, none better (0.9)                    → continues
  //   C 0.7: n=3, keep 1, one better (0.5)                     → pruned
  //   D 0.4: n=4, keep ⌈4/3⌉=2, none better                    → continues
  //   E 0.8: n=5, keep 2, three better (0.5, 0.7, 0.4)         → pruned
  //   F 0.6: n=6, keep 2, two better (0.5, 0.4)                → pruned
  const arrivals = [0.9, 0.5, 0.7, 0.4, 0.8, 0.6];
  const expected = [true, true, false, true, false, false];

  it('minimising', () => {
    expect(arrivals.map((value, i) => continuesAtRung(value, arrivals.slice(0, i), 'minimize', 3))).toEqual(expected);
  });

  it('maximising the mirrored values gives the same decisions', () => {
    const mirrored = arrivals.map((v) => 1 - v);
    expect(mirrored.map((value, i) => continuesAtRung(value, mirrored.slice(0, i), 'maximize', 3))).toEqual(expected);
  });

  it('ties count for the trial; a NaN objective never continues and never counts as better', () => {
    expect(continuesAtRung(0.5, [0.5], 'minimize', 2)).toBe(true);
    expect(continuesAtRung(Number.NaN, [], 'minimize', 3)).toBe(false);
    expect(continuesAtRung(0.9, [Number.NaN, Number.NaN], 'minimize', 3)).toBe(true);
  });
});
