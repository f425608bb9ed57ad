import { describe, expect, it } from 'vitest';
import { describeDetail } from './error-detail.ts';

describe('describeDetail', () => {
  it('summarises a data problem per column with its count and example rows', () => {
    const detail = { column: 'Island', row: 1, message: 'values are not numbers', count: 344, examples: [1, 2, 3] };
    expect(describeDetail(detail)).toBe('column "Island": 344 values are not numbers (rows 1, 2, 3, …)');
    expect(describeDetail(detail, { named: false })).toBe('344 values are not numbers (rows 1, 2, 3, …)');
    expect(describeDetail({ column: 'mass', message: 'values are not numbers', count: 2, examples: [4, 9] })).toBe('column "mass": 2 values are not numbers (rows 4, 9)');
  });

  it('names the row of a single problem, and the path of a schema problem', () => {
    expect(describeDetail({ row: 12, message: 'has 3 fields, the header has 4', count: 1, examples: [12] })).toBe('row 12: has 3 fields, the header has 4');
    expect(describeDetail({ path: 'training.epochs', message: 'must be >= 1' })).toBe('training.epochs: must be >= 1');
    expect(describeDetail({ message: 'no rows' })).toBe('no rows');
  });
});
