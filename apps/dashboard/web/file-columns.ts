// A table's column names read in the browser before it is uploaded (to offer the target and the type
// overrides): a CSV's header row, the keys of a JSON array's or JSON Lines' first objects.
import type { DatasetFormat } from '@trainyard/client';

/** How much of a file is read to find its columns: a header row, or enough objects to see every key. */
const HEAD_BYTES = 256 * 1024;
const DELIMITERS = [',', ';', '\t', '|'];

/** The format a file's name says, through an optional .gz; undefined lets the service tell by content. */
export function formatOf(fileName: string): DatasetFormat | undefined {
  const name = fileName.toLowerCase().replace(/\.gz$/, '');
  if (/\.(csv|tsv|txt)$/.test(name)) return 'csv';
  if (name.endsWith('.json')) return 'json';
  if (/\.(jsonl|ndjson)$/.test(name)) return 'jsonl';
  if (name.endsWith('.parquet')) return 'parquet';
  return undefined;
}

/** The file's column names in file order, or null when they cannot be read here (Parquet, unknown formats). */
export async function columnsOf(file: File): Promise<string[] | null> {
  const format = formatOf(file.name);
  if (format === undefined || format === 'parquet') return null;
  const { text, complete } = await readHead(file, HEAD_BYTES);
  if (format === 'csv') return csvHeader(text);
  return format === 'json' ? jsonArrayKeys(text) : jsonLinesKeys(text, complete);
}

/** The file's first bytes as text, gunzipped when they start with gzip's magic bytes (as the service decides). */
export async function readHead(file: Blob, limit: number): Promise<{ text: string; complete: boolean }> {
  const magic = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  const gzip = magic[0] === 0x1f && magic[1] === 0x8b;
  if (!gzip) return { text: await file.slice(0, limit).text(), complete: file.size <= limit };
  const reader = file.stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  let complete = false;
  while (length < limit) {
    const { done, value } = await reader.read();
    if (done) {
      complete = true;
      break;
    }
    chunks.push(value);
    length += value.length;
  }
  await reader.cancel().catch(() => undefined);
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { text: new TextDecoder().decode(bytes.subarray(0, limit)), complete: complete && length <= limit };
}

/** The header row: delimiter , ; tab or | (the one the header uses most, outside quotes), quoted names unquoted. */
export function csvHeader(text: string): string[] {
  const line = firstRecord(text.replace(/^\uFEFF/, ''));
  const delimiter = DELIMITERS.map((candidate) => [candidate, splitRecord(line, candidate).length] as const).sort((a, b) => b[1] - a[1])[0][0];
  return splitRecord(line, delimiter).map((cell) => cell.trim()).filter((cell) => cell !== '');
}

/** The first record, which may span lines inside quotes. */
function firstRecord(text: string): string {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (!quoted && (text[i] === '\n' || text[i] === '\r')) return text.slice(0, i);
  }
  return text;
}

function splitRecord(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted && char === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (char === '"') quoted = !quoted;
    else if (!quoted && char === delimiter) {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells;
}

/** Keys of the complete objects at the start of a JSON array, in order of first appearance. */
export function jsonArrayKeys(text: string): string[] {
  const start = text.indexOf('[');
  if (start < 0) return [];
  const keys = new Set<string>();
  for (const object of topLevelObjects(text, start + 1)) addKeys(keys, object);
  return [...keys];
}

/** Keys of the objects on JSON Lines' first lines (a last line cut off by the read is left out). */
export function jsonLinesKeys(text: string, complete: boolean): string[] {
  const lines = text.split(/\r?\n/);
  if (!complete) lines.pop();
  const keys = new Set<string>();
  for (const line of lines) if (line.trim() !== '') addKeys(keys, line);
  return [...keys];
}

function addKeys(keys: Set<string>, json: string): void {
  try {
    const value: unknown = JSON.parse(json);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) for (const key of Object.keys(value)) keys.add(key);
  } catch {
    // not an object: it names no columns
  }
}

/** The text of each complete `{…}` at depth one of the array that opens before `from`. */
function* topLevelObjects(text: string, from: number): Generator<string> {
  let depth = 0;
  let begin = -1;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') {
      if (depth === 0 && char === '{') begin = i;
      depth++;
    } else if (char === '}' || char === ']') {
      if (depth === 0) return; // the array's own end
      depth--;
      if (depth === 0 && begin >= 0) {
        yield text.slice(begin, i + 1);
        begin = -1;
      }
    }
  }
}
