import { describe, expect, it } from 'vitest';
import { textBar } from './text-bar.ts';

describe('textBar', () => {
  it('draws value / max of the width in eighths of a block', () => {
    expect(textBar(1, 1, 4)).toBe('████');
    expect(textBar(0.5, 1, 4)).toBe('██');
    expect(textBar(0.3, 1, 4)).toBe('█▎'); // 9.6 → 10 eighths: one block and a quarter
    expect(textBar(0.01, 1, 4)).toBe(''); // under half an eighth
  });

  it('draws nothing for values at or below zero, or without a scale', () => {
    expect([textBar(0, 1, 4), textBar(-0.2, 1, 4), textBar(0.5, 0, 4), textBar(Number.NaN, 1, 4)]).toEqual(['', '', '', '']);
  });
});
