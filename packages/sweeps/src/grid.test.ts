import { describe, expect, it } from 'vitest';
import { gridPoint, gridSize } from './grid.ts';
import type { Space } from './space.ts';

const space: Space = {
  'training.optimizer.learningRate': { values: [0.1, 0.01] },
  'model.layers.0.units': { intUniform: [8, 10] },
  'training.batchSize': { values: [16, 64] },
};

describe('grid', () => {
  it('has the product of the axes as its size', () => {
    expect(gridSize(space)).toBe(2 * 3 * 2);
  });

  it('enumerates every combination once, the first path slowest, as nested loops would', () => {
    const expected: unknown[] = [];
    for (const learningRate of [0.1, 0.01]) {
      for (const units of [8, 9, 10]) {
        for (const batchSize of [16, 64]) expected.push({ 'training.optimizer.learningRate': learningRate, 'model.layers.0.units': units, 'training.batchSize': batchSize });
      }
    }
    expect(Array.from({ length: 12 }, (_, i) => gridPoint(space, i))).toEqual(expected);
    expect(gridPoint(space, 12)).toEqual(gridPoint(space, 0));
  });
});
