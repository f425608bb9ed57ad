import { DatasetError } from '@trainyard/backprop';

export type RawFormat = 'csv' | 'json' | 'jsonl' | 'parquet';

/** One cell as read: null is missing; Parquet dates and timestamps arrive as ISO-8601 strings. */
export type RawCell = string | number | boolean | null;

export interface RawColumn {
  name: string;
  cells: RawCell[];
}

/** A file read into columns of cells, in file order, every column `rows` long. Not typed yet. */
export interface RawTable {
  format: RawFormat;
  rows: number;
  columns: RawColumn[];
}

export interface ReadLimits {
  /** Reading stops after maxRows + 1 data rows, so that the caller can tell the limit was passed. */
  maxRows?: number;
  /** A header wider than this is invalid_dataset. */
  maxColumns?: number;
}

/** The data rows a reader keeps: maxRows + 1 at most. */
export function rowBudget(limits: ReadLimits): number {
  return limits.maxRows === undefined ? Infinity : limits.maxRows + 1;
}

export function checkWidth(columns: number, limits: ReadLimits): void {
  if (limits.maxColumns !== undefined && columns > limits.maxColumns) {
    throw new DatasetError('invalid_dataset', `the dataset has ${columns} columns; the limit is ${limits.maxColumns}`);
  }
}

/** Header names must be present and unique, and not more than maxColumns. */
export function checkHeader(names: string[], limits: ReadLimits): void {
  checkWidth(names.length, limits);
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name.trim() === '') {
      throw new DatasetError('invalid_dataset', `column ${i + 1} of the header has no name`, [{ message: `column ${i + 1} has an empty name` }]);
    }
    if (seen.has(name)) {
      throw new DatasetError('invalid_dataset', `column "${name}" appears twice in the header`, [{ column: name, message: 'duplicate column name' }]);
    }
    seen.add(name);
  });
}

/** The finished table: a header without data rows is not a dataset. */
export function rawTable(format: RawFormat, rows: number, columns: RawColumn[]): RawTable {
  if (columns.length === 0) throw new DatasetError('invalid_dataset', 'the dataset has no columns');
  if (rows === 0) throw new DatasetError('invalid_dataset', 'the dataset has a header but no data rows');
  return { format, rows, columns };
}

const FORMAT_NAMES: Record<RawFormat | 'gzip', string> = { csv: 'CSV', json: 'JSON', jsonl: 'JSON Lines', parquet: 'Parquet', gzip: 'gzip' };

/** malformed_dataset: the bytes are not a file of this format, and why. */
export function unreadable(format: RawFormat | 'gzip', why: string): DatasetError {
  return new DatasetError('malformed_dataset', `the file could not be read as ${FORMAT_NAMES[format]}: ${why}`);
}
