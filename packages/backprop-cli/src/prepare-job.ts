import {
  DatasetError, resolveTrainingConfig, validateJob, type DataShape, type ModelSpec, type SavedModel, type TrainingConfig,
} from '@trainyard/backprop';
import { dataOptionsOf, prepareSource, type DatasetSource, type FittedPreprocessing, type TrainingData } from '@trainyard/tabular';
import { CliError } from './cli-error.ts';
import { describeDatasetError } from './dataset-error-message.ts';
import type { JobFile } from './load-job.ts';
import { shapeOf } from './load-dataset.ts';

/** A job ready for the Trainer: every default filled in, checked, and its data prepared as the worker prepares it. */
export interface PreparedJob {
  spec: ModelSpec;
  training: TrainingConfig;
  data: TrainingData;
}

/**
 * As the API's prepareJob (defaults, every reason at once) and the worker's training thread (the table →
 * split, preprocessing fitted on the training rows or taken from the initial weights, rows encoded).
 */
export function prepareJob(job: JobFile, source: DatasetSource, init?: { path: string; weights: SavedModel }): PreparedJob {
  const shape = shapeOf(source);
  const layers = job.model.layers;
  const output = layers[layers.length - 1];
  if (!output) throw new CliError('model.layers: at least one layer is needed');
  const training = resolveTrainingConfig(job.training, { task: shape.task, outputActivation: output.activation, outputUnits: output.units });
  const dataShape = (features: number): DataShape => ({ task: shape.task, features, classes: shape.classes?.length, rows: shape.rows });
  // Everything but the input size first: the table preparation reads testSplit, classWeights and maxCategories.
  const given = job.model.inputSize;
  check({ inputSize: given ?? 1, layers }, training, dataShape(given ?? 1));
  const data = prepareData(source, training, job, init);
  const inputs = data.dataset.features.length;
  const spec: ModelSpec = { inputSize: given ?? inputs, layers };
  check(spec, training, dataShape(inputs));
  return { spec, training, data };
}

function check(spec: ModelSpec, training: TrainingConfig, data: DataShape): void {
  const issues = validateJob(spec, training, data);
  if (issues.length > 0) throw new CliError(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
}

function prepareData(source: DatasetSource, training: TrainingConfig, job: JobFile, init?: { path: string; weights: SavedModel }): TrainingData {
  const preprocessing = init?.weights.preprocessing as FittedPreprocessing | undefined;
  if (preprocessing) checkColumns(preprocessing, source, init!.path);
  try {
    return prepareSource(source, dataOptionsOf(training, job.features, preprocessing));
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    const what = preprocessing ? `the preprocessing of --init ${init!.path} does not fit the dataset` : 'the dataset cannot be prepared for this job';
    throw new CliError(`${what}: ${describeDatasetError(error)}`);
  }
}

/** The initial weights' preprocessing reads columns by name: all of them must be in this dataset. */
function checkColumns(preprocessing: FittedPreprocessing, source: DatasetSource, path: string): void {
  const names = new Set(source.kind === 'matrix' ? source.data.features : source.columns.map((column) => column.name));
  const missing = preprocessing.columns.map((column) => column.name).filter((name) => !names.has(name));
  if (missing.length > 0) {
    throw new CliError(`the preprocessing of --init ${path} does not fit the dataset: it reads columns the dataset does not have: ${missing.join(', ')}`);
  }
}
