import { describe, expect, it } from 'vitest';
import { centerDigit, MNIST_SIDE } from './center-digit.ts';

/** A width×height page with ink=1 in the rectangle [x, x+w) × [y, y+h). */
function page(width: number, height: number, rects: [number, number, number, number][]): Float32Array {
  const ink = new Float32Array(width * height);
  for (const [x, y, w, h] of rects) for (let row = y; row < y + h; row++) ink.fill(1, row * width + x, row * width + x + w);
  return ink;
}

function massCentre(pixels: Float32Array): [number, number] {
  let mass = 0, x = 0, y = 0;
  pixels.forEach((value, i) => {
    mass += value;
    x += value * ((i % MNIST_SIDE) + 0.5);
    y += value * (Math.floor(i / MNIST_SIDE) + 0.5);
  });
  return [x / mass, y / mass];
}

function inkedExtent(pixels: Float32Array): { width: number; height: number } {
  const columns = new Set<number>(), rows = new Set<number>();
  pixels.forEach((value, i) => {
    if (value > 0.5) {
      columns.add(i % MNIST_SIDE);
      rows.add(Math.floor(i / MNIST_SIDE));
    }
  });
  return { width: columns.size, height: rows.size };
}

describe('centerDigit', () => {
  it('scales the longer side of the ink to 20 pixels and puts its mass centre at the grid centre', () => {
    // A tall bar (40×120) in the top-left corner of a 280×280 drawing.
    const out = centerDigit(page(280, 280, [[10, 5, 40, 120]]), 280, 280);
    expect(out).toHaveLength(MNIST_SIDE * MNIST_SIDE);
    const [x, y] = massCentre(out);
    expect(x).toBeCloseTo(14, 1);
    expect(y).toBeCloseTo(14, 1);
    const extent = inkedExtent(out);
    expect(extent.height).toBe(20);
    expect(extent.width).toBeGreaterThanOrEqual(6); // 40 × 20/120 ≈ 6.7
    expect(extent.width).toBeLessThanOrEqual(8);
    expect(Math.max(...out)).toBe(1);
  });

  it('gives the same input wherever and at whatever size the digit was drawn', () => {
    const small = centerDigit(page(100, 100, [[5, 5, 10, 30], [15, 30, 10, 5]]), 100, 100);
    const large = centerDigit(page(280, 280, [[150, 100, 30, 90], [180, 175, 30, 15]]), 280, 280);
    for (let i = 0; i < small.length; i++) expect(large[i]).toBeCloseTo(small[i], 5);
  });

  it('answers zeros for an empty drawing and rejects a wrong-sized one', () => {
    expect(centerDigit(new Float32Array(50 * 50), 50, 50).every((value) => value === 0)).toBe(true);
    expect(() => centerDigit(new Float32Array(10), 5, 3)).toThrow('ink has 10 values, expected 5×3');
  });
});
