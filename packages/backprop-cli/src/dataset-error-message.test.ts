import { DatasetError } from '@trainyard/backprop';
import { IssueCollector } from '@trainyard/tabular';
import { describe, expect, it } from 'vitest';
import { describeDatasetError } from './dataset-error-message.ts';

function collected(add: (issues: IssueCollector) => void): DatasetError {
  const issues = new IssueCollector();
  add(issues);
  try {
    issues.throwIfAny('invalid_dataset', 'some values do not fit their column\'s type');
  } catch (error) {
    return error as DatasetError;
  }
  throw new Error('nothing was collected');
}

describe('a data error on one line', () => {
  it('names every summarised problem after the biggest, with counts and example rows', () => {
    const error = collected((issues) => {
      for (const row of [2, 5, 9]) issues.add('mass', 'values are not numbers', row);
      for (let row = 1; row <= 12; row++) issues.add('when', 'values are not dates', row);
      issues.add(undefined, 'rows have too many fields', 7);
    });
    expect(describeDatasetError(error)).toBe(
      'some values do not fit their column\'s type: column "when": 12 values are not dates (rows 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …)' +
        '; column "mass": 3 values are not numbers (rows 2, 5, 9); 1 rows have too many fields (row 7)',
    );
  });

  it('keeps at most four further problems', () => {
    const error = collected((issues) => {
      for (let column = 0; column < 7; column++) for (let row = 0; row <= column; row++) issues.add(`c${column}`, 'are bad', row + 1);
    });
    const text = describeDatasetError(error);
    expect(text.split('; ')).toHaveLength(6);
    expect(text).toMatch(/; and 2 more$/);
  });

  it('leaves out details that only repeat the message', () => {
    const error = new DatasetError('invalid_dataset', 'columns names columns the table does not have: a, b', [
      { column: 'a', message: 'unknown column in the type overrides' },
      { column: 'b', message: 'unknown column in the type overrides' },
    ]);
    expect(describeDatasetError(error)).toBe('columns names columns the table does not have: a, b');
  });
});
