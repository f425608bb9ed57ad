import { isNumeric, type CodedColumn, type TypedColumn } from '../table.ts';
import { columnTypeError, type ColumnEncoding } from './column-encoding.ts';

/**
 * A category column: one-hot over the training split's most frequent values (at most maxCategories; ties
 * by first appearance), plus one "other" input for every other value, unseen or missing.
 */
export interface CategorySpec {
  name: string;
  type: 'category';
  categories: string[];
}

function coded(column: TypedColumn): CodedColumn {
  if (isNumeric(column) || column.type !== 'category') throw columnTypeError('category', column);
  return column;
}

export const categoryEncoding: ColumnEncoding<CategorySpec> = {
  fit(column, trainRows, options) {
    const c = coded(column);
    const counts = new Float64Array(c.dictionary.length);
    for (const r of trainRows) if (c.codes[r] >= 0) counts[c.codes[r]]++;
    const order = Array.from(c.dictionary.keys()).filter((code) => counts[code] > 0);
    order.sort((a, b) => counts[b] - counts[a] || a - b);
    return { name: c.name, type: 'category', categories: order.slice(0, options.maxCategories).map((code) => c.dictionary[code]) };
  },
  inputs: (spec) => [...spec.categories.map((value) => `${spec.name}=${value}`), `${spec.name}:other`],
  standardised: () => [],
  encode(spec, column, rows, x, width, offset) {
    const c = coded(column);
    const other = spec.categories.length;
    const slot = slotsOf(spec, c);
    for (let i = 0; i < rows.length; i++) {
      const code = c.codes[rows[i]];
      const base = i * width + offset;
      x.fill(0, base, base + other + 1);
      x[base + (code < 0 ? other : slot[code])] = 1;
    }
  },
};

/** Each dictionary code's input within the column's block: its category's, or "other" (one lookup per entry, not per row). */
function slotsOf(spec: CategorySpec, c: CodedColumn): Int32Array {
  const other = spec.categories.length;
  const position = new Map(spec.categories.map((value, i) => [value, i]));
  return Int32Array.from(c.dictionary, (value) => position.get(value) ?? other);
}

/**
 * The listed rows' one-hot positions within the column's block (0 … categories.length, the last one
 * "other" for unseen and missing values): what encode writes a 1 at, as codes for the engine's
 * Dataset.oneHot instead of a block of inputs.
 */
export function categoryCodes(spec: CategorySpec, column: TypedColumn, rows: ArrayLike<number>): Int32Array {
  const c = coded(column);
  const other = spec.categories.length;
  const slot = slotsOf(spec, c);
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const code = c.codes[rows[i]];
    out[i] = code < 0 ? other : slot[code];
  }
  return out;
}
