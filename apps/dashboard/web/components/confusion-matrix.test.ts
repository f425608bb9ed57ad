import { describe, expect, it } from 'vitest';
import { rowShares, shareColor } from './confusion-matrix.ts';

describe('rowShares', () => {
  it('divides each cell by its true class\'s rows, leaving an empty class at 0', () => {
    expect(rowShares([[30, 0, 0], [3, 11, 0], [0, 0, 0]])).toEqual([[1, 0, 0], [3 / 14, 11 / 14, 0], [0, 0, 0]]);
  });
});

describe('shareColor', () => {
  it('runs from white at 0 to the accent at 1, clamped', () => {
    expect(shareColor(0)).toBe('rgb(255, 255, 255)');
    expect(shareColor(1)).toBe('rgb(47, 111, 222)');
    expect(shareColor(2)).toBe(shareColor(1));
    expect(shareColor(0.5)).toBe('rgb(151, 183, 239)');
  });
});
