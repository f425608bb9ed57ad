import { describe, expect, it } from 'vitest';
import { applyNormalization, fitNormalization } from './normalization.ts';

describe('normalisation', () => {
  // 4 rows × 3 features; the statistics come from rows 0, 2 and 3 only.
  const x = Float32Array.of(
    1, 10, 5,
    100, -100, 5,
    3, 20, 5,
    5, 60, 5,
  );
  const rows = Uint32Array.of(0, 2, 3);

  it('fits the mean and population standard deviation of the given rows; a constant feature gets std 1', () => {
    const { mean, std } = fitNormalization(x, 3, rows);
    expect(mean).toEqual([3, 30, 5]);
    expect(std[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(std[1]).toBeCloseTo(Math.sqrt(1400 / 3), 12);
    expect(std[2]).toBe(1);
  });

  it('applies (x − mean) / std into a new array, or passes x through without statistics', () => {
    const normalization = fitNormalization(x, 3, rows);
    const out = applyNormalization(x, 3, normalization);
    expect(out).not.toBe(x);
    for (let i = 0; i < x.length; i++) {
      const f = i % 3;
      expect(out[i]).toBeCloseTo((x[i] - normalization.mean[f]) / normalization.std[f], 5);
    }
    expect(applyNormalization(x, 3, null)).toBe(x);
  });
});
