import type { TypedColumn } from '../table.ts';

/** What fitting a column's encoding may depend on besides its training values. */
export interface FitOptions {
  /** Category columns: one-hot over this many most frequent training values (the rest share "other"). */
  maxCategories: number;
}

/**
 * One column type's encoding: fitted on the training rows, it writes the column's inputs (before
 * standardisation) for any rows. `value` inputs are the ones standardised when `training.normalize`.
 */
export interface ColumnEncoding<Spec> {
  fit(column: TypedColumn, trainRows: Uint32Array, options: FitOptions): Spec;
  inputs(spec: Spec): string[];
  /** Indices (within this column's inputs) of those standardised with the training mean and std. */
  standardised(spec: Spec): number[];
  /** x (rows.length × width): this column's inputs of each listed table row, from column `offset` on. */
  encode(spec: Spec, column: TypedColumn, rows: ArrayLike<number>, x: Float32Array, width: number, offset: number): void;
}

/** Mean of the non-missing (non-NaN) values at the listed rows, and whether any was missing; mean 0 when none is present. */
export function observedMean(values: ArrayLike<number>, rows: Uint32Array): { mean: number; anyMissing: boolean } {
  let sum = 0;
  let count = 0;
  for (const r of rows) {
    const v = values[r];
    if (Number.isNaN(v)) continue;
    sum += v;
    count++;
  }
  return { mean: count > 0 ? sum / count : 0, anyMissing: count < rows.length };
}

export function columnTypeError(expected: string, column: TypedColumn): Error {
  return new Error(`column "${column.name}" is ${column.type}; its encoding expects ${expected}`);
}
