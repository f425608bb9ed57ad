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
    // Rows 35 and 38 as Fisher printed them (the UCI copy has two transcription errors there).
    expect(Array.from(iris.x.subarray(34 * 4, 35 * 4))).toEqual([4.9, 3.1, 1.5, 0.2].map(Math.fround));
    expect(Array.from(iris.x.subarray(37 * 4, 38 * 4))).toEqual([4.9, 3.6, 1.4, 0.1].map(Math.fround));
  });

  it('iris has the published per-species means and standard deviations', () => {
    // Fisher (1936) table as in R's datasets::iris, to 3 decimals: [mean, sd] per feature.
    const published = [
      [[5.006, 0.352], [3.428, 0.379], [1.462, 0.174], [0.246, 0.105]],
      [[5.936, 0.516], [2.770, 0.314], [4.260, 0.470], [1.326, 0.198]],
      [[6.588, 0.636], [2.974, 0.322], [5.552, 0.552], [2.026, 0.275]],
    ];
    const iris = loadBuiltin('iris');
    published.forEach((species, label) => {
      const rows = [...Array(150).keys()].filter((r) => iris.y[r] === label);
      species.forEach(([mean, sd], f) => {
        const values = rows.map((r) => iris.x[r * 4 + f]);
        const m = values.reduce((a, b) => a + b, 0) / values.length;
        const s = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
        expect(m, `${iris.classes![label]} ${iris.features[f]} mean`).toBeCloseTo(mean, 3);
        expect(s, `${iris.classes![label]} ${iris.features[f]} sd`).toBeCloseTo(sd, 3);
      });
    });
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
    // Point i of each arm lies at radius i/100; only the angle is noisy.
    for (let r = 0; r < spirals.rows; r++) {
      expect(Math.hypot(spirals.x[r * 2], spirals.x[r * 2 + 1])).toBeCloseTo((r % 100) / 100, 5);
    }
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
