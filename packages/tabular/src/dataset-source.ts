import type { Dataset } from '@trainyard/backprop';
import { decodeColumn, type StoredColumn } from './column-storage.ts';
import { tableFromMatrix } from './matrix-table.ts';
import { prepareMatrixTraining } from './prepare-matrix.ts';
import { planTraining, prepareTraining, type DataOptions, type TableMeta, type TrainingData } from './prepare-training.ts';
import type { FittedPreprocessing } from './preprocessing/preprocessing.ts';
import type { TypedTable } from './table.ts';

/** A dataset as a worker or the API reads it: stored typed columns, or a matrix (a built-in, an upload stored before typed columns). */
export type DatasetSource =
  | { kind: 'columns'; meta: TableMeta; rows: number; columns: StoredColumn[] }
  | { kind: 'matrix'; data: Dataset };

export function sourceTable(source: DatasetSource): { table: TypedTable; meta: TableMeta } {
  if (source.kind === 'matrix') return tableFromMatrix(source.data);
  return { table: { rows: source.rows, columns: source.columns.map((column) => decodeColumn(column, source.rows)) }, meta: source.meta };
}

/** The job's data from its source (see prepareTraining). */
export function prepareSource(source: DatasetSource, options: DataOptions): TrainingData {
  if (source.kind === 'matrix') return prepareMatrixTraining(source.data, options);
  const { table, meta } = sourceTable(source);
  return prepareTraining(table, meta, options);
}

/** Only the preprocessing a job would fit (e.g. to know its input size at submit time), without encoding every row. */
export function fitSourcePreprocessing(source: DatasetSource, options: DataOptions): FittedPreprocessing {
  if (source.kind === 'matrix' && !options.features && !options.preprocessing) return prepareMatrixTraining(source.data, options).preprocessing;
  const { table, meta } = sourceTable(source);
  return planTraining(table, meta, options).preprocessing;
}
