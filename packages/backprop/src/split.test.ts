import { describe, expect, it } from 'vitest';
import { splitRows, validationRowCount } from './split.ts';

describe('splitRows', () => {
  it('holds out the last ⌈split·rows⌉ rows of a seeded permutation: disjoint, complete, reproducible', () => {
    const { train, validation } = splitRows(150, 0.2, 42);
    expect([train.length, validation.length]).toEqual([120, 30]);
    expect([...train, ...validation].sort((a, b) => a - b)).toEqual(Array.from({ length: 150 }, (_, i) => i));
    const again = splitRows(150, 0.2, 42);
    expect(Array.from(again.validation)).toEqual(Array.from(validation));
    expect(Array.from(splitRows(150, 0.2, 43).validation)).not.toEqual(Array.from(validation));
    // Shuffled, not the tail of the file.
    expect(Array.from(validation)).not.toEqual(Array.from({ length: 30 }, (_, i) => 120 + i));
  });

  it('keeps every row, in order, for training when there is no split', () => {
    const { train, validation } = splitRows(5, 0, 1);
    expect(Array.from(train)).toEqual([0, 1, 2, 3, 4]);
    expect(validation.length).toBe(0);
  });

  it('rounds up, ignores float noise, and never leaves training empty', () => {
    expect(validationRowCount(7, 0.2)).toBe(2); // ⌈1.4⌉
    expect(validationRowCount(100, 0.07)).toBe(7); // 0.07·100 = 7.000000000000001
    expect(validationRowCount(10, 0.01)).toBe(1);
    expect(validationRowCount(2, 0.5)).toBe(1);
    expect(validationRowCount(1, 0.5)).toBe(0);
    expect(validationRowCount(3, 0.99)).toBe(0); // ⌈2.97⌉ = 3 would leave no training row
    expect(validationRowCount(0, 0.2)).toBe(0);
  });
});
