// Models as the worker trains them (training-thread.ts): a file read and typed, the preprocessing fitted
// on the training split, the engine's Trainer, and the weights through safetensors and back.
import { decodeSafetensors, encodeSafetensors, resolveTrainingConfig, Trainer, type LayerSpec, type SavedModel, type TrainingInput } from '@trainyard/backprop';
import { dataOptionsOf, prepareTraining, readTable, typeTable, type RawTable, type TypingOptions } from '@trainyard/tabular';
import type { RawRow } from './onnx-feeds.ts';

export interface TableModel {
  model: SavedModel;
  /** The file's rows as read: objects by column name, values as in the file. */
  rows: RawRow[];
  safetensors: Uint8Array;
}

export interface TableJob {
  target: string;
  task?: TypingOptions['task'];
  columns?: TypingOptions['columns'];
  layers: LayerSpec[];
  training?: TrainingInput;
}

export async function trainOnFile(bytes: Uint8Array, job: TableJob): Promise<TableModel> {
  const raw = await readTable(bytes);
  const typed = typeTable(raw, { target: job.target, task: job.task, columns: job.columns, maxCategories: 100 });
  const last = job.layers[job.layers.length - 1];
  const training = resolveTrainingConfig({ epochs: 8, seed: 7, ...job.training }, { task: typed.task, outputActivation: last.activation, outputUnits: last.units });
  const meta = { task: typed.task, target: typed.target, features: typed.features, ...(typed.classes ? { classes: typed.classes } : {}) };
  const data = prepareTraining(typed.table, meta, dataOptionsOf(training, null));
  const spec = { inputSize: data.dataset.features.length, layers: job.layers };
  const trainer = new Trainer({ spec, training, data: data.dataset, normalization: data.normalization });
  const outcome = await trainer.run();
  if (outcome.status !== 'completed' && outcome.status !== 'stopped_early') throw new Error(`training ended ${outcome.status}`);
  const safetensors = encodeSafetensors(trainer.model());
  return { model: decodeSafetensors(safetensors), rows: rowsOf(raw), safetensors };
}

export function rowsOf(raw: RawTable): RawRow[] {
  return Array.from({ length: raw.rows }, (_, r) => Object.fromEntries(raw.columns.map((column) => [column.name, column.cells[r]])));
}
