import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  encodeSafetensors, selectKernel, Trainer, TrainingError, type Kernel, type SavedModel, type TrainOutcome,
} from '@trainyard/backprop';
import { DatasetFormatSchema, TaskSchema } from '@trainyard/contracts';
import { evaluateModel, type ModelEvaluation, type RawFormat, type TrainingData } from '@trainyard/tabular';
import { CliError } from './cli-error.ts';
import { parseColumnOverrides } from './column-overrides.ts';
import { loadDataset, type TableOptions, type Task } from './load-dataset.ts';
import { readJobFile, readWeights } from './load-job.ts';
import { prepareJob, type PreparedJob } from './prepare-job.ts';
import { Progress } from './progress.ts';
import { summary } from './summary.ts';

export const USAGE = `usage: backprop train <spec.json> --out <model.safetensors> [--init <weights.safetensors>]
         [--target COL] [--task classification|regression] [--column NAME=TYPE]... [--format csv|json|jsonl|parquet]

  <spec.json>  the POST /v1/jobs body (its features, training.testSplit, classWeights and maxCategories included);
               "dataset" is builtin:xor|spirals|iris|mnist or a table file: CSV, JSON, JSON Lines or Parquet, gzip-compressed
               or not (a relative path is taken from the spec file's folder). A file is read and typed as the service
               types an upload (same limits: TRAINYARD_MAX_CATEGORIES, TRAINYARD_MAX_DATASET_ROWS/_COLUMNS) and prepared
               as its worker prepares a job, so the weights are the service's, byte for byte, on the same backend
  --target     the file's label column
  --task       classification or regression; without it, inferred from the target as at upload
  --column     NAME=TYPE forces a column's type: number, boolean, datetime, category, text or ignore (repeatable)
  --format     how the file is written; without it, told by its name and content
  --out        where to write the final weights (safetensors with the preprocessing, the service's layout)
  --init       start from these weights (and their preprocessing) instead of a fresh initialisation

Progress goes to stderr; one JSON summary line to stdout, with the evaluation on the held-out rows. The kernel is
chosen as the service's (BACKPROP_BACKEND, BACKPROP_THREADS). Exit codes: 0 done, 2 bad input or a diverged run,
1 unexpected failure, 130 interrupted (the weights so far are still written).`;

const EXIT_INTERRUPTED = 130;

function parseTrainArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        init: { type: 'string' },
        target: { type: 'string' },
        task: { type: 'string' },
        column: { type: 'string', multiple: true, default: [] },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message.split(/\n|\. To specify/)[0]} (see backprop --help)`);
  }
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    const choices = allowed.length === 2 ? allowed.join(' or ') : `one of ${allowed.join(', ')}`;
    throw new CliError(`--${flag} must be ${choices}, not "${value}"`);
  }
  return value as T;
}

function tableOptions(values: ReturnType<typeof parseTrainArgs>['values']): TableOptions {
  return {
    target: values.target,
    task: oneOf<Task>('task', values.task, TaskSchema.enum),
    columns: parseColumnOverrides(values.column),
    format: oneOf<RawFormat>('format', values.format, DatasetFormatSchema.enum),
  };
}

/** `backprop train …`: the exit code. */
export async function train(args: string[]): Promise<number> {
  const { values, positionals } = parseTrainArgs(args);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new CliError(`train takes one spec file, got ${positionals.length} (see backprop --help)`);
  if (!values.out) throw new CliError('--out <model.safetensors> is required');
  const specPath = positionals[0];
  const job = readJobFile(specPath);
  const options = tableOptions(values);
  const init = values.init ? { path: values.init, weights: readWeights(values.init) } : undefined;
  const source = await loadDataset(job.dataset, specPath, options);
  const prepared = prepareJob(job, source, init);
  const kernel = kernelOf();
  const trainer = createTrainer(prepared, kernel, init);

  const outcome = await runWithProgress(trainer);
  const model = trainer.model();
  try {
    writeFileSync(values.out, encodeSafetensors(model));
  } catch (error) {
    throw new CliError(`cannot write ${values.out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const finished = outcome.status === 'completed' || outcome.status === 'stopped_early';
  const evaluation = finished ? evaluate(model, prepared.data, prepared.training.seed, kernel) : null;
  process.stdout.write(`${JSON.stringify(summary(outcome, evaluation))}\n`);
  return outcome.status === 'aborted' ? EXIT_INTERRUPTED : 0;
}

/** The service's choice: BACKPROP_BACKEND, else the fastest available; BACKPROP_THREADS, else 1. */
function kernelOf(): Kernel {
  try {
    return selectKernel();
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}

/** As the worker's thread: weights from before preprocessing keep the normalisation they were trained with. */
function createTrainer({ spec, training, data }: PreparedJob, kernel: Kernel, init?: { path: string; weights: SavedModel }): Trainer {
  const initialWeights = init?.weights;
  const normalization = initialWeights && !initialWeights.preprocessing ? undefined : data.normalization;
  try {
    return new Trainer({ spec, training, data: data.dataset, kernel, initialWeights, normalization });
  } catch (error) {
    if (error instanceof TrainingError && error.code === 'shape_mismatch') throw new CliError(`--init ${init?.path} does not fit the model: ${error.message}`);
    throw error;
  }
}

/** Ctrl-C stops at the next step; the weights so far are still written. */
async function runWithProgress(trainer: Trainer): Promise<TrainOutcome> {
  const progress = new Progress();
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  try {
    return await trainer.run({
      signal: controller.signal,
      onStep: (report) => progress.step(report),
      onEpoch: (report) => progress.epoch(report),
    });
  } finally {
    process.off('SIGINT', interrupt);
    progress.finish();
  }
}

/** The final model on the held-out rows, as the worker evaluates it; a failure leaves the weights written and says so. */
function evaluate(model: SavedModel, data: TrainingData, seed: number, kernel: Kernel): ModelEvaluation | null {
  try {
    return evaluateModel(model, data, seed, kernel);
  } catch (error) {
    process.stderr.write(`backprop: the evaluation failed (the weights are written): ${(error as Error).message}\n`);
    return null;
  }
}
