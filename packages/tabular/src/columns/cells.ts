// One raw cell read as a column type. null = missing (the readers already turned missing tokens into null);
// undefined = the cell does not fit the type.
import type { RawCell } from '../read/raw-table.ts';
import { parseDatetime } from './datetime.ts';

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const TRUE = new Set(['true', 'yes']);
const FALSE = new Set(['false', 'no']);

export function numberOf(cell: RawCell): number | null | undefined {
  if (cell === null) return null;
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : undefined;
  if (typeof cell !== 'string') return undefined;
  const text = cell.trim();
  if (text === '') return null;
  return NUMBER.test(text) ? Number(text) : undefined;
}

/** true/false, yes/no in any case; with `numeric`, also 0/1 (a forced boolean). */
export function booleanOf(cell: RawCell, numeric = false): boolean | null | undefined {
  if (cell === null) return null;
  if (typeof cell === 'boolean') return cell;
  if (typeof cell === 'number') return numeric && (cell === 0 || cell === 1) ? cell === 1 : undefined;
  const text = cell.trim().toLowerCase();
  if (text === '') return null;
  if (TRUE.has(text) || (numeric && text === '1')) return true;
  if (FALSE.has(text) || (numeric && text === '0')) return false;
  return undefined;
}

/** Unix seconds; with `numeric`, numbers are taken as Unix seconds (a forced datetime). */
export function datetimeOf(cell: RawCell, numeric = false): number | null | undefined {
  if (cell === null) return null;
  if (typeof cell === 'number') return numeric && Number.isFinite(cell) ? cell : undefined;
  if (typeof cell !== 'string') return undefined;
  if (cell.trim() === '') return null;
  const parsed = parseDatetime(cell);
  if (parsed !== null) return parsed;
  if (numeric) {
    const n = numberOf(cell);
    if (typeof n === 'number') return n;
  }
  return undefined;
}

/** A value as text, as categories, text columns and class labels keep it: trimmed, numbers and booleans as written by String(). */
export function textOf(cell: RawCell): string | null {
  if (cell === null) return null;
  const text = typeof cell === 'string' ? cell.trim() : String(cell);
  return text === '' ? null : text;
}
