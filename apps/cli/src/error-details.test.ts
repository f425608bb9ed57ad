import { describe, expect, it } from 'vitest';
import { describeDetail } from './error-details.ts';

describe('describeDetail', () => {
  it('writes a data problem as its column, count and example rows', () => {
    expect(describeDetail({ column: 'mass', row: 1, message: 'values are not numbers', count: 396, examples: [1, 2, 5] })).toBe(
      'column "mass": 396 values are not numbers (rows 1, 2, 5, …)',
    );
    expect(describeDetail({ row: 7, message: 'rows have 3 fields; the header has 4', count: 2, examples: [7, 9] })).toBe('2 rows have 3 fields; the header has 4 (rows 7, 9)');
  });

  it('writes a single problem by its row and column', () => {
    expect(describeDetail({ column: 'mass', row: 4, message: 'values are not numbers', count: 1, examples: [4] })).toBe('row 4, column "mass": values are not numbers');
    expect(describeDetail({ path: 'rows[3].mass', row: 4, column: 'mass', message: 'is not a number' })).toBe('row 4, column "mass": is not a number');
  });

  it('writes a schema problem by its path', () => {
    expect(describeDetail({ path: 'model.layers[1].activation', message: 'must be one of relu, tanh' })).toBe('model.layers[1].activation: must be one of relu, tanh');
    expect(describeDetail({ message: 'the dataset has no columns' })).toBe('the dataset has no columns');
  });
});
