import { Buffer } from 'node:buffer';
import { CsvError, parse } from 'csv-parse/sync';
import { IssueCollector } from '../issues.ts';
import { detectDelimiter } from './delimiter.ts';
import { textCell } from './missing.ts';
import { checkHeader, rawTable, rowBudget, unreadable, type RawCell, type RawTable, type ReadLimits } from './raw-table.ts';

/** Bytes looked at to detect the delimiter (and to tell text from binary). */
const SAMPLE_BYTES = 64 * 1024;

/**
 * CSV with a header row: delimiter , ; tab or | (detected), RFC 4180 quotes, UTF-8 BOM, CRLF, LF or CR.
 * Rows with another number of fields than the header are invalid_dataset with their row numbers; quotes
 * that never close are malformed_dataset (csv-parse's error says where).
 */
export function readCsv(bytes: Uint8Array, limits: ReadLimits): RawTable {
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  if (sample.includes(0)) throw unreadable('csv', 'it holds NUL bytes: it is binary or UTF-16, not UTF-8 text');
  const delimiter = detectDelimiter(new TextDecoder().decode(sample), bytes.length <= SAMPLE_BYTES);

  const budget = rowBudget(limits);
  const ragged = new IssueCollector();
  let header: string[] | null = null;
  let columns: RawCell[][] = [];
  let rows = 0;
  // Records go straight into columns: csv-parse keeps none of them (on_record returns null).
  const intoColumns = (fields: string[]): null => {
    if (header === null) {
      checkHeader(fields, limits);
      header = fields;
      columns = fields.map(() => []);
    } else if (fields.length !== columns.length) {
      ragged.add(undefined, `rows have ${fields.length} fields; the header has ${columns.length}`, ++rows);
    } else {
      rows++;
      for (let c = 0; c < fields.length; c++) columns[c].push(textCell(fields[c]));
    }
    return null;
  };
  try {
    parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      delimiter,
      bom: true,
      trim: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      ...(budget === Infinity ? {} : { to: budget + 1 }), // the header is a record too
      on_record: intoColumns,
    });
  } catch (error) {
    if (error instanceof CsvError) throw unreadable('csv', error.message);
    throw error;
  }
  if (header === null) throw unreadable('csv', 'there is no header row');
  ragged.throwIfAny('invalid_dataset', 'rows do not match the header');
  const names: string[] = header;
  return rawTable('csv', rows, names.map((name, c) => ({ name, cells: columns[c] })));
}
