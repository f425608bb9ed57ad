import type { SavedModel } from '@trainyard/backprop';
import type { ColumnSpec, DatetimePart } from '@trainyard/tabular';
import { OnnxExportError } from './onnx-export-error.ts';

const DATETIME_PARTS: readonly DatetimePart[] = ['years', 'year_sin', 'year_cos', 'week_sin', 'week_cos', 'day_sin', 'day_cos'];

/**
 * The model's preprocessing columns, checked field by field: the engine keeps them opaque, and uploaded
 * weights may carry anything. Only what the graph uses is read (standardisation comes from `normalization`).
 */
export function readColumns(model: SavedModel): ColumnSpec[] {
  const columns = model.preprocessing?.columns ?? [];
  return columns.map((value, i) => {
    const column = value as Record<string, unknown>;
    const where = `preprocessing.columns[${i}]${typeof column.name === 'string' ? ` ("${column.name}")` : ''}`;
    const bad = (why: string) => new OnnxExportError(`${where} ${why}`);
    if (typeof column.name !== 'string' || column.name === '') throw bad('needs a non-empty name');
    switch (column.type) {
      case 'number':
      case 'boolean':
        checkFill(column, bad);
        return column as unknown as ColumnSpec;
      case 'category': {
        const categories = column.categories;
        if (!Array.isArray(categories) || !categories.every((c) => typeof c === 'string')) throw bad('.categories must be an array of strings');
        if (new Set(categories).size !== categories.length) throw bad('.categories lists a value twice');
        return column as unknown as ColumnSpec;
      }
      case 'datetime': {
        checkFill(column, bad);
        const parts = column.parts;
        if (!Array.isArray(parts) || parts.length === 0 || !parts.every((p) => DATETIME_PARTS.includes(p as DatetimePart))) {
          throw bad(`.parts must be a non-empty array of ${DATETIME_PARTS.join(', ')}`);
        }
        if (new Set(parts).size !== parts.length) throw bad('.parts lists a part twice');
        return column as unknown as ColumnSpec;
      }
      default:
        throw bad(`has type ${JSON.stringify(column.type)}; ONNX export knows number, boolean, category and datetime`);
    }
  });
}

function checkFill(column: Record<string, unknown>, bad: (why: string) => Error): void {
  if (typeof column.fill !== 'number' || !Number.isFinite(column.fill)) throw bad('.fill must be a finite number');
  if (typeof column.indicator !== 'boolean') throw bad('.indicator must be true or false');
}
