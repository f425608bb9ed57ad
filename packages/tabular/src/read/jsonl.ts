import { ObjectRows } from './object-rows.ts';
import { unreadable, type RawTable, type ReadLimits } from './raw-table.ts';

const NEWLINE = 0x0a;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** JSON Lines: one object per line; blank lines are skipped. Lines are decoded one at a time. */
export function readJsonLines(bytes: Uint8Array, limits: ReadLimits): RawTable {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const table = new ObjectRows('jsonl', limits);
  let start = UTF8_BOM.every((b, i) => bytes[i] === b) ? UTF8_BOM.length : 0;
  for (let line = 1; start < bytes.length && !table.full; line++) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end < 0) end = bytes.length;
    const text = decoder.decode(bytes.subarray(start, end)).trim(); // trim drops the \r of CRLF
    start = end + 1;
    if (text === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch (error) {
      throw unreadable('jsonl', `line ${line}: ${error instanceof Error ? error.message : String(error)}`);
    }
    table.add(row);
  }
  return table.finish();
}
