import { isNumeric, type ColumnProfile, type ColumnRole, type ColumnType, type TypedColumn } from '../table.ts';

const TOP_VALUES = 10;

/** What the dataset resource says about a column: missing and distinct counts, moments and range, or its most frequent values. */
export function profileColumn(column: TypedColumn, role: ColumnRole, type: ColumnType = column.type): ColumnProfile {
  if (isNumeric(column)) {
    let count = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    const distinct = new Set<number>();
    for (const v of column.values) {
      if (Number.isNaN(v)) continue;
      count++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
      distinct.add(v);
    }
    const profile: ColumnProfile = { name: column.name, type, role, missing: column.values.length - count, distinct: distinct.size };
    if (count > 0) {
      const mean = sum / count;
      let squares = 0;
      for (const v of column.values) if (!Number.isNaN(v)) squares += (v - mean) ** 2;
      Object.assign(profile, { mean, std: Math.sqrt(squares / count), min, max });
    }
    return profile;
  }
  const counts = new Float64Array(column.dictionary.length);
  let missing = 0;
  for (const code of column.codes) {
    if (code < 0) missing++;
    else counts[code]++;
  }
  const order = Array.from(column.dictionary.keys()).filter((code) => counts[code] > 0);
  order.sort((a, b) => counts[b] - counts[a] || a - b);
  return {
    name: column.name, type, role, missing, distinct: order.length,
    topValues: order.slice(0, TOP_VALUES).map((code) => ({ value: column.dictionary[code], count: counts[code] })),
  };
}
