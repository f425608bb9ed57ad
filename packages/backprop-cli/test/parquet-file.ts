// A real table written as Parquet by another implementation (parquet-wasm, the Rust parquet crate, via Arrow).
import { readFileSync } from 'node:fs';
import { tableFromJSON, tableToIPC } from 'apache-arrow';
import * as parquet from 'parquet-wasm';

/** A JSON array of objects (nulls kept) as a ZSTD Parquet file with small row groups, as data tools write them. */
export function parquetOfJson(path: string): Uint8Array {
  const rows = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>[];
  const names = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const arrow = tableFromJSON(rows.map((row) => Object.fromEntries(names.map((name) => [name, row[name] ?? null]))));
  const properties = new parquet.WriterPropertiesBuilder().setCompression(parquet.Compression.ZSTD).setMaxRowGroupSize(100).build();
  return parquet.writeParquet(parquet.Table.fromIPCStream(tableToIPC(arrow, 'stream')), properties);
}
