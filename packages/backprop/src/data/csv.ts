import { DatasetError } from './dataset-error.ts';

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * RFC 4180 CSV → rows of cells. Quoted fields may hold commas, quotes ("") and line breaks; lines end in CRLF or LF
 * (or a lone CR). Blank lines are skipped. Reading stops after `maxRows` rows plus one, enough for the caller to see
 * that a limit is exceeded without parsing the rest.
 */
export function parseCsvTable(text: string, maxRows = Infinity): string[][] {
  const reader = new CsvReader(text);
  const rows: string[][] = [];
  while (rows.length <= maxRows && !reader.done()) {
    const row = reader.record(rows.length);
    if (!(row.length === 1 && row[0].trim() === '')) rows.push(row);
  }
  return rows;
}

class CsvReader {
  private i: number;
  private line = 1;

  constructor(private readonly text: string) {
    this.i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  done(): boolean {
    return this.i >= this.text.length;
  }

  /** One record: fields up to an unquoted line break (or the end of the text). */
  record(row: number): string[] {
    const { text } = this;
    const n = text.length;
    const cells: string[] = [];
    for (;;) {
      cells.push(text.charCodeAt(this.i) === QUOTE ? this.quoted(row) : this.unquoted(row));
      const code = text.charCodeAt(this.i);
      this.i++;
      if (code === COMMA) continue;
      if (code === CR && text.charCodeAt(this.i) === LF) this.i++;
      this.line++;
      if (this.i > n) this.i = n;
      return cells;
    }
  }

  private unquoted(row: number): string {
    const { text } = this;
    const start = this.i;
    let code = text.charCodeAt(this.i);
    while (this.i < text.length && code !== COMMA && code !== LF && code !== CR) {
      if (code === QUOTE) this.fail(row, 'a quote inside an unquoted field', 'stray quote');
      code = text.charCodeAt(++this.i);
    }
    return text.slice(start, this.i);
  }

  /** From an opening quote to its closing quote; "" is a literal quote. */
  private quoted(row: number): string {
    const { text } = this;
    const opened = this.line;
    const parts: string[] = [];
    let start = ++this.i;
    for (;;) {
      const close = text.indexOf('"', start);
      if (close < 0) {
        this.line = opened;
        this.fail(row, 'a quoted field is never closed', 'unclosed quote');
      }
      for (let k = start; k < close; k++) if (text.charCodeAt(k) === LF) this.line++;
      if (text.charCodeAt(close + 1) === QUOTE) {
        parts.push(text.slice(start, close + 1));
        start = close + 2;
        continue;
      }
      parts.push(text.slice(start, close));
      this.i = close + 1;
      break;
    }
    const next = text.charCodeAt(this.i);
    if (this.i < text.length && next !== COMMA && next !== LF && next !== CR) this.fail(row, 'text after the closing quote of a field', 'text after a closing quote');
    return parts.join('');
  }

  private fail(row: number, message: string, short: string): never {
    throw new DatasetError('malformed_dataset', `CSV line ${this.line}: ${message}`, [{ row, message: short }]);
  }
}
