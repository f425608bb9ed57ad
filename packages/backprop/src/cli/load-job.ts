import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import type { TrainingInput } from '../config.ts';
import type { Dataset, Task } from '../dataset.ts';
import { isBuiltinId, loadBuiltin } from '../data/builtins.ts';
import { DatasetError } from '../data/dataset-error.ts';
import { parseCsv, parseJsonText } from '../data/parse.ts';
import { decodeSafetensors, WeightsFormatError } from '../safetensors.ts';
import type { SavedModel } from '../saved-model.ts';
import type { LayerSpec, ModelSpec } from '../spec.ts';

/** The parts of a POST /v1/jobs body the local trainer uses; the rest (snapshots, webhook, metadata) is ignored. */
export interface JobFile {
  dataset: string;
  model: { layers: LayerSpec[] };
  training?: TrainingInput;
}

/** Bad input on the command line: printed as one line, exit code 2. */
export class CliError extends Error {}

/** How to read a dataset that is a file rather than a built-in. */
export interface TableOptions {
  target?: string;
  task?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readBytes(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new CliError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** The job JSON; shapes are checked here only as far as needed to hand it to validateJob safely. */
export function readJobFile(path: string): JobFile {
  let job: unknown;
  try {
    job = JSON.parse(readBytes(path, 'job spec').toString('utf8'));
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`job spec ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(job)) throw new CliError(`${path}: the spec must be a JSON object`);
  if (typeof job.dataset !== 'string' || job.dataset === '') throw new CliError(`${path}: "dataset" must be builtin:<name> or a file path`);
  if (!isObject(job.model) || !Array.isArray(job.model.layers)) throw new CliError(`${path}: "model.layers" must be an array`);
  job.model.layers.forEach((layer: unknown, i: number) => {
    if (!isObject(layer)) throw new CliError(`${path}: model.layers[${i}] must be an object { units, activation }`);
  });
  if (job.training !== undefined && !isObject(job.training)) throw new CliError(`${path}: "training" must be an object`);
  if (job.initialWeights !== undefined && job.initialWeights !== null) {
    throw new CliError(`${path}: "initialWeights" names a service snapshot; locally, pass the weights file with --init`);
  }
  return job as unknown as JobFile;
}

/**
 * `builtin:<name>`, or a CSV/JSON file (by extension) read with --target/--task.
 * A relative path is taken from the spec file's folder, as paths inside config files usually are.
 */
export function loadDataset(reference: string, specPath: string, options: TableOptions): Dataset {
  if (reference.startsWith('builtin:')) {
    if (options.target !== undefined || options.task !== undefined) {
      throw new CliError(`--target and --task describe a dataset file; ${reference} already has its target and task`);
    }
    if (!isBuiltinId(reference)) throw new CliError(`unknown built-in dataset ${reference}; known: xor, spirals, iris, mnist`);
    return loadBuiltin(reference);
  }
  if (!options.target) throw new CliError(`dataset ${reference} is a file: name its label column with --target COL`);
  const task = (options.task ?? 'classification') as Task;
  if (task !== 'classification' && task !== 'regression') throw new CliError(`--task must be classification or regression, not "${task}"`);
  const path = resolve(dirname(specPath), reference);
  const text = readBytes(path, 'dataset').toString('utf8');
  const parseOptions = { target: options.target, task };
  try {
    return extname(path).toLowerCase() === '.json' ? parseJsonText(text, parseOptions) : parseCsv(text, parseOptions);
  } catch (error) {
    if (error instanceof DatasetError) throw new CliError(`dataset ${reference}: ${error.message}`);
    throw error;
  }
}

export function readWeights(path: string): SavedModel {
  const bytes = new Uint8Array(readBytes(path, 'weights'));
  try {
    return decodeSafetensors(bytes);
  } catch (error) {
    if (error instanceof WeightsFormatError) throw new CliError(`weights ${path} are not readable safetensors: ${error.message}`);
    throw error;
  }
}

/** As the service does: the input size comes from the dataset. */
export function modelSpec(job: JobFile, dataset: Dataset): ModelSpec {
  return { inputSize: dataset.features.length, layers: job.model.layers };
}
