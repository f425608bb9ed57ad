import type { DatasetFormat, ErrorDetail, RawRow } from '@trainyard/client';
import { describeDetail } from './error-details.ts';
import { InputError } from './inputs.ts';

/**
 * A file of raw rows — CSV with a header, a JSON array of objects, JSON Lines or Parquet, gzip-compressed
 * or not — read by the same reader as the service's uploads (so delimiters, quotes and missing-value
 * tokens mean the same). Missing cells are left out of their row.
 */
export async function readRawRows(bytes: Uint8Array, format?: DatasetFormat): Promise<RawRow[]> {
  // Loaded here only: the other commands need not pay for the readers.
  const { readTable } = await import('@trainyard/tabular');
  let table: Awaited<ReturnType<typeof readTable>>;
  try {
    table = await readTable(bytes, format === undefined ? {} : { format });
  } catch (error) {
    if ((error as Error).name !== 'DatasetError') throw error;
    const details = (error as { details?: ErrorDetail[] }).details ?? [];
    throw new InputError([(error as Error).message, ...details.map((detail) => `  ${describeDetail(detail)}`)].join('\n'));
  }
  const rows: RawRow[] = Array.from({ length: table.rows }, () => ({}));
  for (const column of table.columns) {
    column.cells.forEach((cell, r) => {
      if (cell !== null) rows[r][column.name] = cell;
    });
  }
  return rows;
}
