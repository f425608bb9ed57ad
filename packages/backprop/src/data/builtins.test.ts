import { describe, expect, it } from 'vitest';
import { BUILTIN_DATASETS, loadBuiltin } from './builtins.ts';

function classCounts(y: Float32Array, classes: number): number[] {
  const counts = new Array(classes).fill(0);
  for (const label of y) counts[label]++;
  return counts;
}

describe('built-in datasets', () => {
  it('iris is Fisher’s 150 flowers, 50 per species', () => {
    const iris = loadBuiltin('iris');
    expect(iris.rows).toBe(150);
    expect(iris.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(classCounts(iris.y, 3)).toEqual([50, 50, 50]);
    // First setosa row and last virginica row of the published table.
    expect(Array.from(iris.x.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
    expect(Array.from(iris.x.subarray(149 * 4))).toEqual([5.9, 3.0, 5.1, 1.8].map(Math.fround));
    expect(iris.y[149]).toBe(2);
  });

  it('mnist holds 10,000 digits of 784 pixels in [0, 1] with every label', () => {
    const mnist = loadBuiltin('builtin:mnist');
    expect(mnist.rows).toBe(10_000);
    expect(mnist.x.length).toBe(10_000 * 784);
    let min = Infinity;
    let max = -Infinity;
    for (const v of mnist.x) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(0);
    expect(max).toBeLessThanOrEqual(1);
    expect(classCounts(mnist.y, 10).every((count) => count > 800)).toBe(true);
  });

  it('xor labels are the XOR of the rounded inputs; spirals are seeded and stable', () => {
    const xor = loadBuiltin('xor');
    for (let r = 0; r < xor.rows; r++) {
      expect(xor.y[r]).toBe(Math.round(xor.x[r * 2]) ^ Math.round(xor.x[r * 2 + 1]));
    }
    const spirals = loadBuiltin('spirals');
    expect(classCounts(spirals.y, 3)).toEqual([100, 100, 100]);
  });

  it('metadata matches what loads', () => {
    for (const info of BUILTIN_DATASETS) {
      const data = loadBuiltin(info.name);
      expect(data.rows).toBe(info.rows);
      expect(data.features).toEqual(info.features);
      expect(data.classes).toEqual(info.classes);
      expect(data.task).toBe(info.task);
    }
    expect(() => loadBuiltin('cifar')).toThrow(/unknown built-in/);
  });
});
