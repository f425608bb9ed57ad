import { gunzipSync } from 'node:zlib';
import { readCsv } from './csv.ts';
import { readJson } from './json.ts';
import { readJsonLines } from './jsonl.ts';
import { readParquet } from './parquet.ts';
import { unreadable, type RawFormat, type RawTable, type ReadLimits } from './raw-table.ts';

export interface ReadOptions extends ReadLimits {
  /** Without it the format is told by the content. */
  format?: RawFormat;
}

const GZIP_MAGIC = [0x1f, 0x8b];
const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"

/** A file as users have it, gzip-compressed or not, into a raw table of cells. */
export async function readTable(bytes: Uint8Array, options: ReadOptions = {}): Promise<RawTable> {
  const plain = startsWith(bytes, GZIP_MAGIC) ? gunzip(bytes) : bytes;
  const format = options.format ?? detectFormat(plain);
  switch (format) {
    case 'parquet':
      return readParquet(plain, options);
    case 'json':
      return readJson(plain, options);
    case 'jsonl':
      return readJsonLines(plain, options);
    default:
      return readCsv(plain, options);
  }
}

/** PAR1 magic; text starting with `[` (JSON array) or `{` (JSON Lines); anything else is CSV. */
export function detectFormat(bytes: Uint8Array): RawFormat {
  if (startsWith(bytes, PARQUET_MAGIC)) return 'parquet';
  let i = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  if (bytes[i] === 0x5b) return 'json';
  if (bytes[i] === 0x7b) return 'jsonl';
  return 'csv';
}

function gunzip(bytes: Uint8Array): Uint8Array {
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw unreadable('gzip', (error as Error).message);
  }
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((byte, i) => bytes[i] === byte);
}
