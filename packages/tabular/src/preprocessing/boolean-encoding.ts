import { isNumeric, type CodedColumn, type TypedColumn } from '../table.ts';
import { columnTypeError, type ColumnEncoding } from './column-encoding.ts';

/** A boolean column: 0/1, missing → the training share of true, plus a missing indicator when training had gaps. */
export interface BooleanSpec {
  name: string;
  type: 'boolean';
  fill: number;
  indicator: boolean;
}

function coded(column: TypedColumn): CodedColumn {
  if (isNumeric(column) || column.type !== 'boolean') throw columnTypeError('boolean', column);
  return column;
}

/** 1 for true, 0 for false, NaN for missing. */
function valueOf(column: CodedColumn, row: number): number {
  const code = column.codes[row];
  return code < 0 ? Number.NaN : column.dictionary[code] === 'true' ? 1 : 0;
}

export const booleanEncoding: ColumnEncoding<BooleanSpec> = {
  fit(column, trainRows) {
    const c = coded(column);
    let trues = 0;
    let present = 0;
    for (const r of trainRows) {
      const v = valueOf(c, r);
      if (Number.isNaN(v)) continue;
      trues += v;
      present++;
    }
    return { name: c.name, type: 'boolean', fill: present > 0 ? trues / present : 0, indicator: present < trainRows.length };
  },
  inputs: (spec) => (spec.indicator ? [spec.name, `${spec.name}:missing`] : [spec.name]),
  standardised: () => [],
  encode(spec, column, rows, x, width, offset) {
    const c = coded(column);
    for (let i = 0; i < rows.length; i++) {
      const value = valueOf(c, rows[i]);
      const missing = Number.isNaN(value);
      x[i * width + offset] = missing ? spec.fill : value;
      if (spec.indicator) x[i * width + offset + 1] = missing ? 1 : 0;
    }
  },
};
