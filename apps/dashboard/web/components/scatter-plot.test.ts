import { describe, expect, it } from 'vitest';
import { niceTicks, sharedDomain } from './scatter-plot.ts';

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten, inside the range', () => {
    expect(niceTicks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(-3.4, 37.4)).toEqual([0, 10, 20, 30]);
    expect(niceTicks(0.1, 0.72)).toEqual([0.2, 0.4, 0.6]);
    expect(niceTicks(0, 0.5)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(niceTicks(5, 5)).toEqual([5]);
  });
});

describe('sharedDomain', () => {
  it('covers actual and predicted values alike, padded by 5%', () => {
    expect(sharedDomain([{ actual: 0, predicted: 2 }, { actual: 10, predicted: 4 }])).toEqual([-0.5, 10.5]);
    expect(sharedDomain([{ actual: 3, predicted: 3 }])).toEqual([1.9, 4.1]);
    expect(sharedDomain([])).toEqual([0, 1]);
  });
});
