import { parquetMetadata, parquetRead, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { DatasetError } from '@trainyard/backprop';
import { IssueCollector } from '../issues.ts';
import { checkHeader, rawTable, rowBudget, unreadable, type RawCell, type RawTable, type ReadLimits } from './raw-table.ts';

/**
 * A Parquet file (Snappy, ZSTD, GZIP, Brotli, LZ4 pages: hyparquet with hyparquet-compressors) into columns.
 * Dates and timestamps become ISO-8601 strings (typed datetime later), 64-bit integers numbers.
 */
export async function readParquet(bytes: Uint8Array, limits: ReadLimits): Promise<RawTable> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let names: string[];
  let metadata;
  try {
    metadata = parquetMetadata(file);
    names = parquetSchema(metadata).children.map((child) => child.element.name);
  } catch (error) {
    throw unreadable('parquet', (error as Error).message);
  }
  checkHeader(names, limits);
  const rowEnd = Math.min(Number(metadata.num_rows), rowBudget(limits));
  let rows: unknown[][] = [];
  try {
    await parquetRead({ file, metadata, compressors, rowEnd, onComplete: (read: unknown[][]) => (rows = read) });
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw unreadable('parquet', (error as Error).message);
  }
  const issues = new IssueCollector();
  const columns = names.map((name, c) => ({ name, cells: rows.map((row, r) => cellOf(row[c], name, r, issues)) }));
  issues.throwIfAny('invalid_dataset', 'some Parquet cells are not single values');
  return rawTable('parquet', rows.length, columns);
}

function cellOf(value: unknown, column: string, row: number, issues: IssueCollector): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isNaN(value) ? null : value;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  issues.add(column, 'cells are nested values (lists, structs or bytes)', row + 1);
  return null;
}
