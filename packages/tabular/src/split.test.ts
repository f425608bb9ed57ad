import { describe, expect, it } from 'vitest';
import { heldCount, splitRows } from './split.ts';

function classesOf(counts: number[]): number[] {
  return counts.flatMap((count, c) => Array.from({ length: count }, () => c));
}

describe('splitRows', () => {
  it('partitions every row exactly once, ascending, deterministically by seed', () => {
    const classes = classesOf([50, 30, 20]);
    const a = splitRows({ rows: 100, classes, testSplit: 0.2, validationSplit: 0.25, seed: 7 });
    const b = splitRows({ rows: 100, classes, testSplit: 0.2, validationSplit: 0.25, seed: 7 });
    const c = splitRows({ rows: 100, classes, testSplit: 0.2, validationSplit: 0.25, seed: 8 });
    expect(a).toEqual(b);
    expect(a.test).not.toEqual(c.test);
    const all = [...a.train, ...a.validation, ...a.test].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
    for (const part of [a.train, a.validation, a.test]) expect([...part]).toEqual([...part].sort((x, y) => x - y));
    expect(a.test.length).toBe(20);
    expect(a.validation.length).toBe(heldCount(80, 0.25));
  });

  it('keeps each class in proportion in every part', () => {
    const classes = classesOf([60, 30, 10]);
    const { train, validation, test } = splitRows({ rows: 100, classes, testSplit: 0.1, validationSplit: 0.2, seed: 1 });
    const count = (rows: Uint32Array, c: number) => [...rows].filter((r) => classes[r] === c).length;
    expect([0, 1, 2].map((c) => count(test, c))).toEqual([6, 3, 1]);
    expect([0, 1, 2].map((c) => count(validation, c))).toEqual([11, 5, 2]); // 18 rows by largest remainder: 10.8, 5.4, 1.8
    expect([0, 1, 2].map((c) => count(train, c))).toEqual([43, 22, 7]);
  });

  it('splits regression rows without strata, and holds nothing out when no training row would remain', () => {
    const plain = splitRows({ rows: 10, testSplit: 0, validationSplit: 0.3, seed: 3 });
    expect(plain.test.length).toBe(0);
    expect(plain.validation.length).toBe(3);
    const tiny = splitRows({ rows: 1, testSplit: 0.5, validationSplit: 0.5, seed: 3 });
    expect([...tiny.train]).toEqual([0]);
    expect(heldCount(100, 0.07)).toBe(7);
  });

  it('holds out a million-row stratum\'s share (no spread of its rows onto the stack)', () => {
    const { train, validation, test } = splitRows({ rows: 1_000_000, testSplit: 0.1, validationSplit: 0.2, seed: 1 });
    expect([train.length, validation.length, test.length]).toEqual([720_000, 180_000, 100_000]);
  });
});
