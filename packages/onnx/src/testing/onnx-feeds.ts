// What a client does before calling the exported model: raw rows → one tensor per input, typed as the
// graph's contract says (float, string, double Unix seconds; NaN or "" for missing). Written from the
// contract, not from the encoder, so the tests compare two independent paths.
import type { SavedModel } from '@trainyard/backprop';
import { parseDatetime, type FittedPreprocessing } from '@trainyard/tabular';
import { Tensor } from 'onnxruntime-node';
import { MATRIX_INPUT } from '../encoded-inputs.ts';

export type RawRow = Record<string, unknown>;

const MISSING_TOKENS = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?']);

function isMissing(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && MISSING_TOKENS.has(value.trim().toLowerCase()));
}

function numberOf(value: unknown): number {
  if (isMissing(value)) return NaN;
  return typeof value === 'number' ? value : Number(String(value).trim());
}

function booleanOf(value: unknown): number {
  if (isMissing(value)) return NaN;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  const text = String(value).trim().toLowerCase();
  return text === 'true' || text === 'yes' || text === '1' ? 1 : text === 'false' || text === 'no' || text === '0' ? 0 : NaN;
}

/** Strings as written, trimmed; missing-value tokens pass through as text (the graph sends them to "other" too). */
function categoryOf(value: unknown): string {
  return value === null || value === undefined ? '' : String(value).trim();
}

function secondsOf(value: unknown): number {
  if (isMissing(value)) return NaN;
  if (typeof value === 'number') return value;
  return parseDatetime(String(value)) ?? NaN;
}

const column = <T>(rows: RawRow[], name: string, read: (value: unknown) => T): T[] => rows.map((row) => read(row[name]));

/** Feeds for a model with a preprocessing: rows as objects by column name. */
export function columnFeeds(preprocessing: FittedPreprocessing, rows: RawRow[]): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = {};
  const n = rows.length;
  for (const spec of preprocessing.columns) {
    switch (spec.type) {
      case 'number':
        feeds[spec.name] = new Tensor('float32', Float32Array.from(column(rows, spec.name, numberOf)), [n, 1]);
        break;
      case 'boolean':
        feeds[spec.name] = new Tensor('float32', Float32Array.from(column(rows, spec.name, booleanOf)), [n, 1]);
        break;
      case 'category':
        feeds[spec.name] = new Tensor('string', column(rows, spec.name, categoryOf), [n, 1]);
        break;
      case 'datetime':
        feeds[spec.name] = new Tensor('float64', Float64Array.from(column(rows, spec.name, secondsOf)), [n, 1]);
        break;
    }
  }
  return feeds;
}

/** Feeds for a model without a preprocessing: rows of inputSize numbers, one input per feature name (or `input`). */
export function matrixFeeds(model: SavedModel, x: Float32Array, rows: number): Record<string, Tensor> {
  const width = model.architecture.inputSize;
  if (!model.features) return { [MATRIX_INPUT]: new Tensor('float32', x, [rows, width]) };
  return Object.fromEntries(model.features.map((name, f) => [name, new Tensor('float32', Float32Array.from({ length: rows }, (_, r) => x[r * width + f]), [rows, 1])]));
}
