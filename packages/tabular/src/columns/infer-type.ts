import type { RawCell } from '../read/raw-table.ts';
import type { ColumnType } from '../table.ts';
import { booleanOf, datetimeOf, numberOf, textOf } from './cells.ts';

/**
 * A column's type from every value it holds: number, else boolean, else datetime, else category (at most
 * `maxCategories` distinct strings), else text. A column with no value at all is a number column.
 */
export function inferType(cells: RawCell[], maxCategories: number): ColumnType {
  let number = true;
  let boolean = true;
  let datetime = true;
  for (const cell of cells) {
    if (cell === null) continue;
    if (number && numberOf(cell) === undefined) number = false;
    if (boolean && booleanOf(cell) === undefined) boolean = false;
    if (datetime && !number && !boolean && datetimeOf(cell) === undefined) datetime = false;
    if (!number && !boolean && !datetime) break;
  }
  if (number) return 'number';
  if (boolean) return 'boolean';
  if (datetime) return 'datetime';
  const distinct = new Set<string>();
  for (const cell of cells) {
    const text = textOf(cell);
    if (text === null) continue;
    distinct.add(text);
    if (distinct.size > maxCategories) return 'text';
  }
  return 'category';
}
