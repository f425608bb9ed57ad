import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Dataset, Task } from '../dataset.ts';
import { loadBuiltin } from '../data/builtins.ts';
import { parseCsv, parseJsonText } from '../data/parse.ts';
import type { ModelSpec, LayerSpec } from '../spec.ts';

/** The parts of a POST /v1/jobs body the local trainer uses. */
export interface JobFile {
  dataset: string;
  model: { layers: LayerSpec[] };
  training?: Record<string, unknown>;
}

export class CliError extends Error {}

export function readJobFile(path: string): JobFile {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read job spec ${path}: ${(error as Error).message}`);
  }
  const job = value as Partial<JobFile>;
  if (typeof job !== 'object' || job === null) throw new CliError(`${path}: the spec must be a JSON object`);
  if (typeof job.dataset !== 'string') throw new CliError(`${path}: "dataset" must be a string (builtin:<name> or a file path)`);
  if (!job.model || !Array.isArray(job.model.layers)) throw new CliError(`${path}: "model.layers" must be an array`);
  return job as JobFile;
}

export function loadDataset(reference: string, options: { target?: string; task?: string }): Dataset {
  if (reference.startsWith('builtin:')) {
    try {
      return loadBuiltin(reference);
    } catch (error) {
      throw new CliError((error as Error).message);
    }
  }
  if (!options.target) throw new CliError(`dataset ${reference} is a file: say which column is the label with --target COL`);
  const task = (options.task ?? 'classification') as Task;
  if (task !== 'classification' && task !== 'regression') throw new CliError(`--task must be classification or regression, not ${task}`);
  let text: string;
  try {
    text = readFileSync(reference, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read dataset ${reference}: ${(error as Error).message}`);
  }
  const parseOptions = { target: options.target, task };
  return extname(reference).toLowerCase() === '.json' ? parseJsonText(text, parseOptions) : parseCsv(text, parseOptions);
}

export function modelSpec(job: JobFile, dataset: Dataset): ModelSpec {
  return { inputSize: dataset.features.length, layers: job.model.layers };
}
