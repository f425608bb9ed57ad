import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { resolveTrainingConfig } from '../config.ts';
import { DatasetError } from '../data/dataset-error.ts';
import { TrainingError } from '../errors.ts';
import { encodeSafetensors } from '../safetensors.ts';
import { Trainer, type TrainerOptions, type TrainOutcome } from '../trainer.ts';
import { validateJob } from '../validate.ts';
import { CliError, loadDataset, modelSpec, readJobFile, readWeights } from './load-job.ts';
import { Progress } from './progress.ts';

const USAGE = `usage: backprop train <spec.json> --out <model.safetensors> [--init <weights.safetensors>] [--target COL --task classification|regression]

  <spec.json>  the POST /v1/jobs body; "dataset" is builtin:xor|spirals|iris|mnist or a .csv/.json file
               (a relative path is taken from the spec file's folder; --target names its label column,
               --task defaults to classification)
  --out        where to write the final weights (safetensors, the service's layout)
  --init       start from these weights instead of a fresh initialisation

Progress goes to stderr, one JSON summary line to stdout. Exit codes: 0 done, 2 bad input or a diverged run, 1 unexpected failure,
130 interrupted (the weights so far are still written).`;

/** Exit code for input the user can fix. */
const EXIT_BAD_INPUT = 2;
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
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message.split(/\n|\. To specify/)[0]} (see backprop --help)`);
  }
}

async function train(args: string[]): Promise<void> {
  const { values, positionals } = parseTrainArgs(args);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length !== 1) throw new CliError(`train takes one spec file, got ${positionals.length} (see backprop --help)`);
  if (!values.out) throw new CliError('--out <model.safetensors> is required');
  const specPath = positionals[0];
  const job = readJobFile(specPath);
  const data = loadDataset(job.dataset, specPath, values);
  const spec = modelSpec(job, data);
  const output = spec.layers[spec.layers.length - 1];
  if (!output) throw new CliError('model.layers: at least one layer is needed');
  const training = resolveTrainingConfig(job.training, { task: data.task, outputActivation: output.activation, outputUnits: output.units });
  const issues = validateJob(spec, training, { task: data.task, features: data.features.length, classes: data.classes?.length, rows: data.rows });
  if (issues.length > 0) throw new CliError(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
  const initialWeights = values.init ? readWeights(values.init) : undefined;

  const trainer = createTrainer({ spec, training, data, initialWeights }, values.init);
  const progress = new Progress();
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  let outcome: TrainOutcome;
  try {
    outcome = await trainer.run({
      signal: controller.signal,
      onStep: (report) => progress.step(report),
      onEpoch: (report) => progress.epoch(report),
    });
  } finally {
    process.off('SIGINT', interrupt);
    progress.finish();
  }
  try {
    writeFileSync(values.out, encodeSafetensors(trainer.model()));
  } catch (error) {
    throw new CliError(`cannot write ${values.out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  process.stdout.write(`${JSON.stringify(summary(outcome))}\n`);
  if (outcome.status === 'aborted') process.exitCode = EXIT_INTERRUPTED;
}

function createTrainer(options: TrainerOptions, initPath: string | undefined): Trainer {
  try {
    return new Trainer(options);
  } catch (error) {
    if (error instanceof TrainingError && error.code === 'shape_mismatch') throw new CliError(`--init ${initPath} does not fit the model: ${error.message}`);
    throw error;
  }
}

/** The stdout line: the fields issue 2 names, absent metrics as null. */
function summary(outcome: TrainOutcome) {
  const metrics = outcome.metrics;
  return {
    epochsRun: outcome.epochsRun,
    metrics: {
      loss: metrics?.loss ?? null,
      accuracy: metrics?.accuracy ?? null,
      valLoss: metrics?.valLoss ?? null,
      valAccuracy: metrics?.valAccuracy ?? null,
    },
    samplesPerSecond: outcome.samplesPerSecond,
    backend: outcome.backend,
    stoppedEarly: outcome.stoppedEarly,
  };
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'train') return train(rest);
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  throw new CliError(`unknown command "${command}"; the only command is train (see backprop --help)`);
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  const known = error instanceof CliError || error instanceof DatasetError || error instanceof TrainingError;
  const message = error instanceof Error ? error.message : String(error);
  // One line, whatever the message holds.
  process.stderr.write(`backprop: ${known ? '' : 'unexpected error: '}${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exitCode = known ? EXIT_BAD_INPUT : 1;
}
