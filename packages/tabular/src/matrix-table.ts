import type { Dataset } from '@trainyard/backprop';
import type { TableMeta } from './prepare-training.ts';
import type { TypedTable } from './table.ts';

/**
 * An all-numeric dataset in the engine's matrix form (a built-in, or an upload stored before typed columns)
 * as a typed table: one number column per feature, and the target (class codes, or values).
 */
export function tableFromMatrix(data: Pick<Dataset, 'task' | 'features' | 'target' | 'rows' | 'x' | 'y' | 'classes'>): { table: TypedTable; meta: TableMeta } {
  const width = data.features.length;
  const columns: TypedTable['columns'] = data.features.map((name, f) => {
    const values = new Float64Array(data.rows);
    for (let r = 0; r < data.rows; r++) values[r] = data.x[r * width + f];
    return { name, type: 'number', values };
  });
  columns.push(data.task === 'classification'
    ? { name: data.target, type: 'category', codes: Int32Array.from(data.y), dictionary: [...(data.classes ?? [])] }
    : { name: data.target, type: 'number', values: Float64Array.from(data.y) });
  const meta: TableMeta = { task: data.task, target: data.target, features: [...data.features] };
  if (data.classes) meta.classes = [...data.classes];
  return { table: { rows: data.rows, columns }, meta };
}
