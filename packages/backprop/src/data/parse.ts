import type { Dataset } from '../dataset.ts';
import { parseCsvTable } from './csv.ts';
import { DatasetError } from './dataset-error.ts';
import { tableToDataset, type ParseOptions } from './table.ts';

/** CSV text with a header row → Dataset. */
export function parseCsv(text: string, options: ParseOptions): Dataset {
  if (text.trim() === '') throw new DatasetError('malformed_dataset', 'the CSV file is empty');
  // Header plus one row beyond the limit is enough to report it.
  const [header, ...rows] = parseCsvTable(text, options.maxRows === undefined ? Infinity : options.maxRows + 1);
  return tableToDataset(header.map((name) => name.trim()), rows, options);
}

/** A JSON array of objects (one per row, same keys) → Dataset. */
export function parseJsonRows(value: unknown, options: ParseOptions): Dataset {
  if (!Array.isArray(value)) throw new DatasetError('malformed_dataset', 'JSON dataset must be an array of objects, one per row');
  if (value.length === 0) throw new DatasetError('invalid_dataset', 'the JSON dataset has no rows');
  const first = value[0];
  if (!isPlainObject(first)) throw new DatasetError('malformed_dataset', 'row 1 is not an object', [{ row: 1, message: 'not an object' }]);
  const header = Object.keys(first);
  const rows = value.map((row, r) => {
    if (!isPlainObject(row)) throw new DatasetError('malformed_dataset', `row ${r + 1} is not an object`, [{ row: r + 1, message: 'not an object' }]);
    const keys = Object.keys(row);
    const missing = header.filter((k) => !(k in row));
    const extra = keys.filter((k) => !header.includes(k));
    if (missing.length || extra.length) {
      const what = [missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `unexpected ${extra.join(', ')}` : ''].filter(Boolean).join('; ');
      throw new DatasetError('invalid_dataset', `row ${r + 1} has other keys than row 1: ${what}`, [{ row: r + 1, message: what }]);
    }
    return header.map((k) => row[k]);
  });
  return tableToDataset(header, rows, options);
}

/** JSON text → Dataset, with a 400 for text that is not JSON. */
export function parseJsonText(text: string, options: ParseOptions): Dataset {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DatasetError('malformed_dataset', `the JSON dataset is not valid JSON: ${(error as Error).message}`);
  }
  return parseJsonRows(value, options);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
