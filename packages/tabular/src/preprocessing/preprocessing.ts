import { DatasetError, fitNormalization, type Normalization, type OneHotBlock } from '@trainyard/backprop';
import type { TypedColumn, TypedTable } from '../table.ts';
import { booleanEncoding, type BooleanSpec } from './boolean-encoding.ts';
import { categoryCodes, categoryEncoding, type CategorySpec } from './category-encoding.ts';
import type { ColumnEncoding, FitOptions } from './column-encoding.ts';
import { datetimeEncoding, type DatetimeSpec } from './datetime-encoding.ts';
import { numberEncoding, type NumberSpec } from './number-encoding.ts';

export type ColumnSpec = NumberSpec | BooleanSpec | CategorySpec | DatetimeSpec;

/**
 * A fitted preprocessing, as the weights' `preprocessing` metadata holds it: per feature column its fitted
 * values, the names of the encoded inputs in order, and for standardised regression targets their mean and std.
 * Encoding a row: each column's inputs in column order, then (v − mean) / std on the standardised ones.
 */
export interface FittedPreprocessing {
  columns: ColumnSpec[];
  inputs: string[];
  target?: { mean: number; std: number };
}

const ENCODINGS = {
  number: numberEncoding,
  boolean: booleanEncoding,
  category: categoryEncoding,
  datetime: datetimeEncoding,
} as const satisfies { [Type in ColumnSpec['type']]: ColumnEncoding<Extract<ColumnSpec, { type: Type }>> };

function encodingOf(type: ColumnSpec['type']): ColumnEncoding<ColumnSpec> {
  return ENCODINGS[type] as unknown as ColumnEncoding<ColumnSpec>;
}

export interface PreprocessingOptions extends FitOptions {
  normalize: boolean;
}

/** The feature columns a preprocessing encodes: every type but text (kept, not used). */
export function isEncodable(column: TypedColumn): boolean {
  return column.type !== 'text';
}

/**
 * Fits each column's encoding on the training rows (indices into the table), then the standardisation of
 * its value inputs over the same rows. Returns the preprocessing and the encoded inputs of the listed rows.
 */
export function fitPreprocessing(
  table: TypedTable,
  features: string[],
  trainRows: Uint32Array,
  options: PreprocessingOptions,
): FittedPreprocessing {
  const columns = features.map((name) => {
    const column = findColumn(table, name);
    if (!isEncodable(column)) throw new DatasetError('invalid_dataset', `column "${name}" is text: it cannot be a feature`, [{ column: name, message: 'is text' }]);
    return encodingOf(column.type as ColumnSpec['type']).fit(column, trainRows, options);
  });
  const preprocessing: FittedPreprocessing = { columns, inputs: columns.flatMap((spec) => encodingOf(spec.type).inputs(spec)) };
  if (options.normalize) standardise(preprocessing, encodeWithCodes(preprocessing, table, trainRows).x);
  return preprocessing;
}

/**
 * The inputs of the listed table rows (rows.length × inputs) before standardisation: what the engine takes
 * with `normalization(preprocessing)`, which applies the rest.
 */
export function encodeRaw(preprocessing: FittedPreprocessing, table: TypedTable, rows: ArrayLike<number>): Float32Array {
  const width = preprocessing.inputs.length;
  const x = new Float32Array(rows.length * width);
  let offset = 0;
  for (const spec of preprocessing.columns) {
    const encoding = encodingOf(spec.type);
    encoding.encode(spec, findColumn(table, spec.name), rows, x, width, offset);
    offset += encoding.inputs(spec).length;
  }
  return x;
}

/**
 * encodeRaw without the one-hot blocks: x holds the inputs of every column but the category ones
 * (rows.length × that width, in input order), and each category column is a block of its inputs with
 * one code per row (Dataset.oneHot). Never builds the one-hot matrix.
 */
export function encodeWithCodes(preprocessing: FittedPreprocessing, table: TypedTable, rows: ArrayLike<number>): { x: Float32Array; blocks: OneHotBlock[]; codes: Int32Array[] } {
  const blocks: OneHotBlock[] = [];
  const codes: Int32Array[] = [];
  let inputs = 0;
  let width = 0;
  for (const spec of preprocessing.columns) {
    const count = encodingOf(spec.type).inputs(spec).length;
    if (spec.type === 'category') blocks.push({ offset: inputs, levels: count });
    else width += count;
    inputs += count;
  }
  const x = new Float32Array(rows.length * width);
  let offset = 0;
  for (const spec of preprocessing.columns) {
    const column = findColumn(table, spec.name);
    if (spec.type === 'category') {
      codes.push(categoryCodes(spec, column, rows));
      continue;
    }
    const encoding = encodingOf(spec.type);
    encoding.encode(spec, column, rows, x, width, offset);
    offset += encoding.inputs(spec).length;
  }
  return { x, blocks, codes };
}

/** The standardisation of the encoded inputs, per input: the value inputs' fitted mean and std, 0 and 1 elsewhere; null when nothing is standardised. */
export function normalizationOf(preprocessing: FittedPreprocessing): Normalization | null {
  const mean: number[] = [];
  const std: number[] = [];
  let any = false;
  for (const spec of preprocessing.columns) {
    const encoding = encodingOf(spec.type);
    const standardised = new Set(encoding.standardised(spec));
    encoding.inputs(spec).forEach((_, i) => {
      const scaled = standardised.has(i) && 'mean' in spec && (spec.mean !== 0 || spec.std !== 1);
      any ||= scaled;
      mean.push(scaled ? (spec as NumberSpec).mean : 0);
      std.push(scaled ? (spec as NumberSpec).std : 1);
    });
  }
  return any ? { mean, std } : null;
}

/**
 * Mean and std of each value input over the training rows, as the engine would fit them (float64 sums of
 * the float32 inputs), from encodeWithCodes' x: per input, so the one-hot blocks (never standardised) are not needed.
 */
function standardise(preprocessing: FittedPreprocessing, trainX: Float32Array): void {
  const width = preprocessing.columns.reduce((sum, spec) => sum + (spec.type === 'category' ? 0 : encodingOf(spec.type).inputs(spec).length), 0);
  const rows = width === 0 ? 0 : trainX.length / width;
  const fitted = fitNormalization(trainX, width, Uint32Array.from({ length: rows }, (_, i) => i));
  let offset = 0;
  for (const spec of preprocessing.columns) {
    if (spec.type === 'category') continue;
    const encoding = encodingOf(spec.type);
    for (const i of encoding.standardised(spec)) {
      const s = spec as NumberSpec | DatetimeSpec;
      s.mean = fitted.mean[offset + i];
      s.std = fitted.std[offset + i];
    }
    offset += encoding.inputs(spec).length;
  }
}

function findColumn(table: TypedTable, name: string): TypedColumn {
  const column = table.columns.find((c) => c.name === name);
  // Initial weights fitted on another table name columns this one lacks: a data problem, not a crash.
  if (column === undefined) throw new DatasetError('invalid_dataset', `the table has no column "${name}"`, [{ column: name, message: 'unknown column' }]);
  return column;
}

/** How many encoded inputs each column of the preprocessing has, in column order. */
export function columnWidths(preprocessing: FittedPreprocessing): number[] {
  return preprocessing.columns.map((spec) => encodingOf(spec.type).inputs(spec).length);
}
