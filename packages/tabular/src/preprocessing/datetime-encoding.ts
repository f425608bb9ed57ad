import { isNumeric, type TypedColumn } from '../table.ts';
import { columnTypeError, observedMean, type ColumnEncoding } from './column-encoding.ts';

/** Seconds per cycle: the mean Gregorian year, the week and the day. */
export const SECONDS_PER = { year: 31_556_952, week: 604_800, day: 86_400 } as const;

/**
 * Inputs of a datetime column (Unix seconds, UTC):
 * - `years`: (seconds / one mean Gregorian year), a linear time, standardised like a number;
 * - `year_sin`, `year_cos`, `week_sin`, `week_cos`: sin and cos of 2π·seconds/period, the position in the
 *   year and in the week;
 * - `day_sin`, `day_cos`: the same for the day, only when a training value has a time of day.
 * Missing: `years` takes the training mean, the cyclic parts 0, and a missing indicator follows when
 * training had gaps.
 */
export type DatetimePart = 'years' | 'year_sin' | 'year_cos' | 'week_sin' | 'week_cos' | 'day_sin' | 'day_cos';

export interface DatetimeSpec {
  name: string;
  type: 'datetime';
  parts: DatetimePart[];
  /** In years (the `years` part's unit). */
  fill: number;
  indicator: boolean;
  mean: number;
  std: number;
}

function seconds(column: TypedColumn): Float64Array {
  if (!isNumeric(column) || column.type !== 'datetime') throw columnTypeError('datetime', column);
  return column.values;
}

/** The value of one part at `t` Unix seconds. */
export function datetimePart(part: DatetimePart, t: number): number {
  if (part === 'years') return t / SECONDS_PER.year;
  const period = SECONDS_PER[part.slice(0, part.indexOf('_')) as keyof typeof SECONDS_PER];
  const angle = (2 * Math.PI * t) / period;
  return part.endsWith('_sin') ? Math.sin(angle) : Math.cos(angle);
}

export const datetimeEncoding: ColumnEncoding<DatetimeSpec> = {
  fit(column, trainRows) {
    const t = seconds(column);
    const { mean, anyMissing } = observedMean(t, trainRows);
    let hasTime = false;
    for (const r of trainRows) {
      if (!Number.isNaN(t[r]) && t[r] % SECONDS_PER.day !== 0) {
        hasTime = true;
        break;
      }
    }
    const parts: DatetimePart[] = ['years', 'year_sin', 'year_cos', 'week_sin', 'week_cos'];
    if (hasTime) parts.push('day_sin', 'day_cos');
    return { name: column.name, type: 'datetime', parts, fill: mean / SECONDS_PER.year, indicator: anyMissing, mean: 0, std: 1 };
  },
  inputs: (spec) => [...spec.parts.map((part) => `${spec.name}:${part}`), ...(spec.indicator ? [`${spec.name}:missing`] : [])],
  standardised: () => [0],
  encode(spec, column, rows, x, width, offset) {
    const t = seconds(column);
    const parts = spec.parts;
    for (let i = 0; i < rows.length; i++) {
      const value = t[rows[i]];
      const base = i * width + offset;
      const missing = Number.isNaN(value);
      for (let p = 0; p < parts.length; p++) {
        x[base + p] = missing ? (parts[p] === 'years' ? spec.fill : 0) : datetimePart(parts[p], value);
      }
      if (spec.indicator) x[base + parts.length] = missing ? 1 : 0;
    }
  },
};
