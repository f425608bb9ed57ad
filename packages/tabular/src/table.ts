/** The types a column can have once a file is read (`ignore` exists only as an upload override). */
export type ColumnType = 'number' | 'boolean' | 'datetime' | 'category' | 'text';
export type ColumnOverride = ColumnType | 'ignore';
export type ColumnRole = 'feature' | 'target' | 'ignored';

/** Number and datetime columns: float64 values, NaN = missing; datetimes are Unix seconds (UTC). */
export interface NumericColumn {
  name: string;
  type: 'number' | 'datetime';
  values: Float64Array;
}

/**
 * Boolean, category and text columns: dictionary codes, -1 = missing. Booleans use the dictionary
 * ['false', 'true']. Codes index `dictionary`, whose order is first appearance in the file.
 */
export interface CodedColumn {
  name: string;
  type: 'boolean' | 'category' | 'text';
  codes: Int32Array;
  dictionary: string[];
}

export type TypedColumn = NumericColumn | CodedColumn;

/** A dataset as stored: typed columns of equal length, in file order (target and ignored ones included). */
export interface TypedTable {
  rows: number;
  columns: TypedColumn[];
}

/** One column of the dataset resource's profile (API.md, Real tables). */
export interface ColumnProfile {
  name: string;
  type: ColumnType;
  role: ColumnRole;
  missing: number;
  distinct: number;
  mean?: number;
  std?: number;
  min?: number;
  max?: number;
  /** At most 10, most frequent first: for category, boolean and text columns. */
  topValues?: { value: string; count: number }[];
}

export function isNumeric(column: TypedColumn): column is NumericColumn {
  return column.type === 'number' || column.type === 'datetime';
}
