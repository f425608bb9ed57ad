import { decodeSafetensors, WeightsFormatError, type LayerSpec, type SavedModel, type TrainingInput } from '@trainyard/backprop';
import type { FeatureSelection } from '@trainyard/tabular';
import { CliError } from './cli-error.ts';
import { readBytes } from './read-file.ts';

/** The parts of a POST /v1/jobs body the local trainer uses; the rest (snapshots, webhook, metadata) is ignored. */
export interface JobFile {
  dataset: string;
  model: { inputSize?: number; layers: LayerSpec[] };
  training?: TrainingInput;
  features?: FeatureSelection;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isNameList = (value: unknown) => Array.isArray(value) && value.every((name) => typeof name === 'string');

/** The job JSON; shapes are checked here only as far as needed to hand it to validateJob and the table preparation safely. */
export function readJobFile(path: string): JobFile {
  let job: unknown;
  const bytes = readBytes(path, 'job spec');
  try {
    job = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new CliError(`job spec ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(job)) throw new CliError(`${path}: the spec must be a JSON object`);
  if (typeof job.dataset !== 'string' || job.dataset === '') throw new CliError(`${path}: "dataset" must be builtin:<name> or a file path`);
  if (!isObject(job.model) || !Array.isArray(job.model.layers)) throw new CliError(`${path}: "model.layers" must be an array`);
  job.model.layers.forEach((layer: unknown, i: number) => {
    if (!isObject(layer)) throw new CliError(`${path}: model.layers[${i}] must be an object { units, activation }`);
  });
  if (job.training !== undefined && !isObject(job.training)) throw new CliError(`${path}: "training" must be an object`);
  const features = job.features;
  if (features !== undefined && features !== null && !(isObject(features) && Object.keys(features).length === 1 && (isNameList(features.include) || isNameList(features.exclude)))) {
    throw new CliError(`${path}: "features" must be { "include": [names] } or { "exclude": [names] }`);
  }
  if (job.initialWeights !== undefined && job.initialWeights !== null) {
    throw new CliError(`${path}: "initialWeights" names a service snapshot; locally, pass the weights file with --init`);
  }
  return job as unknown as JobFile;
}

export function readWeights(path: string): SavedModel {
  const bytes = readBytes(path, 'weights');
  try {
    return decodeSafetensors(bytes);
  } catch (error) {
    if (error instanceof WeightsFormatError) throw new CliError(`weights ${path} are not readable safetensors: ${error.message}`);
    throw error;
  }
}
