import { isNumeric, type TypedColumn } from '../table.ts';
import { columnTypeError, observedMean, type ColumnEncoding } from './column-encoding.ts';

/** A number column: missing → the training mean, plus a 0/1 missing indicator when training had gaps. */
export interface NumberSpec {
  name: string;
  type: 'number';
  fill: number;
  indicator: boolean;
  /** Standardisation of the filled value (0 and 1 without `normalize`). */
  mean: number;
  std: number;
}

function values(column: TypedColumn): Float64Array {
  if (!isNumeric(column) || column.type !== 'number') throw columnTypeError('number', column);
  return column.values;
}

export const numberEncoding: ColumnEncoding<NumberSpec> = {
  fit(column, trainRows) {
    const { mean, anyMissing } = observedMean(values(column), trainRows);
    return { name: column.name, type: 'number', fill: mean, indicator: anyMissing, mean: 0, std: 1 };
  },
  inputs: (spec) => (spec.indicator ? [spec.name, `${spec.name}:missing`] : [spec.name]),
  standardised: () => [0],
  encode(spec, column, rows, x, width, offset) {
    const v = values(column);
    for (let i = 0; i < rows.length; i++) {
      const value = v[rows[i]];
      const missing = Number.isNaN(value);
      x[i * width + offset] = missing ? spec.fill : value;
      if (spec.indicator) x[i * width + offset + 1] = missing ? 1 : 0;
    }
  },
};
