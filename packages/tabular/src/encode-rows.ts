import { buildColumn } from './columns/build-column.ts';
import { IssueCollector } from './issues.ts';
import type { RawCell } from './read/raw-table.ts';
import { textCell } from './read/missing.ts';
import { encodeRaw, type FittedPreprocessing } from './preprocessing/preprocessing.ts';
import type { TypedTable } from './table.ts';

export interface RowProblem {
  /** 1-based row of the request. */
  row: number;
  column: string;
  message: string;
  count: number;
  examples: number[];
}

/**
 * Raw rows (objects by column name, values as in the uploaded file: strings for categories and dates,
 * numbers, booleans; null, absent or a missing-value token = missing) → the preprocessing's inputs before
 * standardisation (rows × inputs). Keys that are not feature columns are ignored; unseen categories go
 * to "other". A value that cannot be read as its column's type is a problem naming row and column.
 */
export function encodeRows(preprocessing: FittedPreprocessing, rows: Record<string, unknown>[]): { x: Float32Array } | { problems: RowProblem[] } {
  const issues = new IssueCollector();
  const columns = preprocessing.columns.map((spec) => {
    const cells = rows.map((row, r) => rawCell(row?.[spec.name], spec.name, r, issues));
    return buildColumn(spec.name, spec.type, cells, issues, true);
  });
  if (issues.size > 0) {
    return {
      problems: issues.summary().map((issue) => ({
        row: issue.row ?? 1, column: issue.column ?? '', message: issue.message, count: issue.count ?? 1, examples: issue.examples ?? [],
      })),
    };
  }
  const table: TypedTable = { rows: rows.length, columns };
  return { x: encodeRaw(preprocessing, table, Uint32Array.from({ length: rows.length }, (_, i) => i)) };
}

function rawCell(value: unknown, column: string, row: number, issues: IssueCollector): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return textCell(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  issues.add(column, `values are ${Array.isArray(value) ? 'arrays' : 'objects'}, not single values`, row + 1);
  return null;
}
