import { describe, expect, it } from 'vitest';
import { randomPoint } from './random-search.ts';
import type { Space } from './space.ts';

const space: Space = {
  lr: { logUniform: [1e-4, 1e-1] },
  momentum: { uniform: [0.5, 0.99] },
  units: { intUniform: [4, 7] },
  activation: { values: ['relu', 'tanh', 'sigmoid'] },
};

describe('randomPoint', () => {
  const points = Array.from({ length: 4000 }, (_, i) => randomPoint(space, 7, i));

  it('is a function of (seed, index) alone, and another seed gives other trials', () => {
    expect(randomPoint(space, 7, 123)).toEqual(points[123]);
    expect(randomPoint(space, 8, 123)).not.toEqual(points[123]);
    expect(new Set(points.map((p) => p.lr)).size).toBe(points.length);
  });

  it('stays inside each range and covers it as its distribution says', () => {
    const lr = points.map((p) => p.lr as number);
    expect(Math.min(...lr)).toBeGreaterThanOrEqual(1e-4);
    expect(Math.max(...lr)).toBeLessThanOrEqual(1e-1);
    // log-uniform: each decade holds about a third of the draws
    for (const [lo, hi] of [[1e-4, 1e-3], [1e-3, 1e-2], [1e-2, 1e-1]]) {
      const share = lr.filter((v) => v >= lo && v < hi).length / lr.length;
      expect(share).toBeGreaterThan(0.3);
      expect(share).toBeLessThan(0.37);
    }
    const momentum = points.map((p) => p.momentum as number);
    expect(momentum.every((v) => v >= 0.5 && v < 0.99)).toBe(true);
    expect(momentum.reduce((s, v) => s + v, 0) / momentum.length).toBeCloseTo(0.745, 1);
    const units = new Map<unknown, number>();
    for (const p of points) units.set(p.units, (units.get(p.units) ?? 0) + 1);
    expect([...units.keys()].sort()).toEqual([4, 5, 6, 7]);
    for (const count of units.values()) expect(count / points.length).toBeCloseTo(0.25, 1);
    expect(new Set(points.map((p) => p.activation))).toEqual(new Set(['relu', 'tanh', 'sigmoid']));
  });
});
