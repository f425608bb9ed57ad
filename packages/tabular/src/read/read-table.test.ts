// The readers on real public tables as published (vega-datasets), against independent parsers: papaparse for
// CSV, JSON.parse for JSON, and parquet-wasm (the Rust parquet crate) for Parquet, including files we write
// with each of its codecs from a real table and the published 3-million-row ZSTD flights file.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { tableFromIPC, tableFromJSON, tableToIPC } from 'apache-arrow';
import Papa from 'papaparse';
import * as parquet from 'parquet-wasm';
import { describe, expect, test } from 'vitest';
import { DatasetError } from '@trainyard/backprop';
import { textCell } from './missing.ts';
import type { RawCell, RawTable } from './raw-table.ts';
import { detectFormat, readTable } from './read-table.ts';

// The package's exports map hides its data folder: it is found where npm installs the workspace's packages.
const DATA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'node_modules', 'vega-datasets', 'data');
const dataFile = (name: string) => readFileSync(join(DATA, name));
const bytesOf = (text: string | Buffer) => new Uint8Array(typeof text === 'string' ? Buffer.from(text) : text);

/** A table as rows of cells by column name, the shape the independent parsers give. */
function rowsOf(table: RawTable): Record<string, RawCell>[] {
  return Array.from({ length: table.rows }, (_, r) => Object.fromEntries(table.columns.map((c) => [c.name, c.cells[r]])));
}

/** papaparse's reading of a CSV, with the contract's missing-value tokens applied to each field. */
function papaRows(text: string): { fields: string[]; rows: Record<string, RawCell>[] } {
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  const rows = parsed.data.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, textCell(v)])));
  return { fields: parsed.meta.fields!, rows };
}

describe('CSV: seattle-weather.csv as published and re-serialised by papaparse', () => {
  const published = dataFile('seattle-weather.csv').toString('utf8');
  const reference = papaRows(published);

  test('the published file: 1461 rows, 6 columns, every cell as papaparse reads it', async () => {
    const table = await readTable(bytesOf(published));
    expect(table.format).toBe('csv');
    expect(table.rows).toBe(1461);
    expect(table.columns.map((c) => c.name)).toEqual(reference.fields);
    expect(rowsOf(table)).toEqual(reference.rows);
  });

  // The same rows written out with other delimiters, quoting, line ends, a BOM and gzip read back identically.
  test.each([
    { delimiter: ';', newline: '\n', quotes: false, bom: false, gzip: false },
    { delimiter: '\t', newline: '\r\n', quotes: false, bom: true, gzip: false },
    { delimiter: '|', newline: '\n', quotes: true, bom: false, gzip: true },
    { delimiter: ',', newline: '\r\n', quotes: true, bom: true, gzip: true },
  ])('delimiter %j', async ({ delimiter, newline, quotes, bom, gzip }) => {
    const text = (bom ? '\ufeff' : '') + Papa.unparse(reference.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v ?? '']))), { delimiter, newline, quotes });
    const bytes = gzip ? new Uint8Array(gzipSync(text)) : bytesOf(text);
    const table = await readTable(bytes);
    expect(table.columns.map((c) => c.name)).toEqual(reference.fields);
    expect(rowsOf(table)).toEqual(reference.rows);
  });

  test('maxRows stops one row past the limit; maxColumns refuses a wider header', async () => {
    expect((await readTable(bytesOf(published), { maxRows: 100 })).rows).toBe(101);
    await expect(readTable(bytesOf(published), { maxColumns: 5 })).rejects.toThrow(/6 columns; the limit is 5/);
  });

  test('a row with another number of fields is invalid_dataset with its row number', async () => {
    const lines = published.split('\n');
    lines[10] += ',extra';
    const error = await readTable(bytesOf(lines.join('\n'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).code).toBe('invalid_dataset');
    expect(JSON.stringify((error as DatasetError).details)).toContain('"examples":[10]');
  });
});

describe('JSON and JSON Lines: penguins.json and movies.json', () => {
  test.each(['penguins.json', 'movies.json'])('%s: every cell as JSON.parse gives it, absent keys and nulls missing', async (name) => {
    const objects = JSON.parse(dataFile(name).toString('utf8')) as Record<string, unknown>[];
    const table = await readTable(bytesOf(dataFile(name)));
    expect(table.format).toBe('json');
    expect(table.rows).toBe(objects.length);
    const names = [...new Set(objects.flatMap((o) => Object.keys(o)))];
    expect(table.columns.map((c) => c.name)).toEqual(names);
    const expected = objects.map((o) => Object.fromEntries(names.map((n) => [n, cellOfJson(o[n])])));
    expect(rowsOf(table)).toEqual(expected);

    const lines = objects.map((o) => JSON.stringify(o)).join('\n');
    expect(detectFormat(bytesOf(lines))).toBe('jsonl');
    const fromLines = await readTable(new Uint8Array(gzipSync(lines)));
    expect(fromLines.format).toBe('jsonl');
    expect(rowsOf(fromLines)).toEqual(expected);
  });
});

function cellOfJson(value: unknown): RawCell {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? textCell(value) : (value as RawCell);
}

describe('Parquet', () => {
  // movies.json as an Arrow table (strings, integers, floats, nulls), written by parquet-wasm with each codec.
  const objects = JSON.parse(dataFile('movies.json').toString('utf8')) as Record<string, unknown>[];
  const names = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  const complete = objects.map((o) => Object.fromEntries(names.map((n) => [n, o[n] ?? null])));
  const arrow = tableFromJSON(complete);

  test.each(['SNAPPY', 'ZSTD', 'GZIP', 'BROTLI', 'LZ4_RAW', 'UNCOMPRESSED'] as const)('movies.json written with %s pages reads back cell for cell', async (codec) => {
    const properties = new parquet.WriterPropertiesBuilder().setCompression(parquet.Compression[codec]).setMaxRowGroupSize(1000).build();
    const file = parquet.writeParquet(parquet.Table.fromIPCStream(tableToIPC(arrow, 'stream')), properties);
    const table = await readTable(file);
    expect(table.format).toBe('parquet');
    expect(table.rows).toBe(objects.length);
    expect(table.columns.map((c) => c.name).sort()).toEqual([...names].sort());
    // Arrow's own reading of what it was given (a column of mixed numbers and strings, as Title is, is strings).
    expect(rowsOf(table)).toEqual(arrow.toArray().map((row: { toJSON(): Record<string, RawCell> }) => row.toJSON()));
  });

  test('the published flights-3m.parquet (ZSTD, timestamps, int64): the first rows as parquet-wasm reads them', async () => {
    const file = new Uint8Array(dataFile('flights-3m.parquet'));
    const table = await readTable(file, { maxRows: 5_000 });
    expect(table.rows).toBe(5_001);
    expect(table.columns.map((c) => c.name)).toEqual(['date', 'delay', 'distance', 'origin', 'destination']);

    const reference = tableFromIPC(parquet.readParquet(file, { limit: 5_001 }).intoIPCStream());
    expect(reference.numRows).toBe(5_001);
    const expected = reference.toArray().map((row: { toJSON(): Record<string, unknown> }) =>
      Object.fromEntries(Object.entries(row.toJSON()).map(([name, value]) => [name, referenceCell(name, value)])));
    expect(rowsOf(table)).toEqual(expected);
  });

  test('a file that is not Parquet after its magic is malformed_dataset naming the format', async () => {
    const error = await readTable(bytesOf('PAR1 this is not a parquet file')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).code).toBe('malformed_dataset');
    expect((error as DatasetError).message).toMatch(/parquet/i);
  });
});

/** Arrow's row value → the reader's cell: timestamps (ms since the epoch in a row) as ISO strings, int64 as numbers. */
function referenceCell(column: string, value: unknown): RawCell {
  if (value === null || value === undefined) return null;
  if (column === 'date') return new Date(Number(value)).toISOString();
  return typeof value === 'bigint' ? Number(value) : (value as RawCell);
}
