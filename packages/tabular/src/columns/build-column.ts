import type { IssueCollector } from '../issues.ts';
import type { RawCell } from '../read/raw-table.ts';
import type { ColumnType, TypedColumn } from '../table.ts';
import { booleanOf, datetimeOf, numberOf, textOf } from './cells.ts';

const WHAT: Record<'number' | 'boolean' | 'datetime', string> = {
  number: 'values are not numbers',
  boolean: 'values are not booleans (true/false, yes/no, 0/1)',
  datetime: 'values are not dates (ISO-8601, YYYY/MM/DD, or with a month name)',
};

/**
 * Cells → a typed column. A cell that does not fit the type is reported to `issues` (per column and kind,
 * with its 1-based row) and stored as missing. `forced`: the type was given by the user, so booleans also
 * take 0/1 and datetimes also take numbers as Unix seconds. Coded columns number their values by first appearance.
 */
export function buildColumn(name: string, type: ColumnType, cells: RawCell[], issues: IssueCollector, forced = false): TypedColumn {
  if (type === 'category' || type === 'text') return coded(name, type, cells, textOf);
  if (type === 'boolean') {
    return coded(name, 'boolean', cells, (cell, row) => {
      const value = booleanOf(cell, forced);
      if (value === undefined) issues.add(name, WHAT.boolean, row + 1);
      return value === undefined || value === null ? null : String(value);
    }, ['false', 'true']);
  }
  const read = type === 'number' ? numberOf : (cell: RawCell) => datetimeOf(cell, forced);
  const values = new Float64Array(cells.length);
  cells.forEach((cell, r) => {
    const value = read(cell);
    if (value === undefined) issues.add(name, WHAT[type], r + 1);
    values[r] = value === undefined || value === null ? Number.NaN : value;
  });
  return { name, type, values };
}

function coded(
  name: string, type: 'boolean' | 'category' | 'text', cells: RawCell[], read: (cell: RawCell, row: number) => string | null, dictionary: string[] = [],
): TypedColumn {
  const index = new Map(dictionary.map((value, i) => [value, i]));
  const codes = new Int32Array(cells.length);
  cells.forEach((cell, r) => {
    const value = read(cell, r);
    if (value === null) {
      codes[r] = -1;
      return;
    }
    let code = index.get(value);
    if (code === undefined) {
      code = dictionary.length;
      dictionary.push(value);
      index.set(value, code);
    }
    codes[r] = code;
  });
  return { name, type, codes, dictionary };
}
