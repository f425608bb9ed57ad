import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { resolveTrainingConfig } from '../config.ts';
import { DatasetError } from '../data/dataset-error.ts';
import { decodeSafetensors, encodeSafetensors, WeightsFormatError } from '../safetensors.ts';
import { TrainingError } from '../errors.ts';
import { Trainer, type EpochMetrics } from '../trainer.ts';
import { validateJob } from '../validate.ts';
import { CliError, loadDataset, modelSpec, readJobFile } from './load-job.ts';
import { Progress } from './progress.ts';

const USAGE = `usage: backprop train <spec.json> --out <model.safetensors> [--init <weights.safetensors>] [--target COL --task classification|regression]`;

async function train(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string' }, init: { type: 'string' }, target: { type: 'string' }, task: { type: 'string' } },
  });
  if (positionals.length !== 1 || !values.out) throw new CliError(USAGE);
  const job = readJobFile(positionals[0]);
  const data = loadDataset(job.dataset, values);
  const spec = modelSpec(job, data);
  const output = spec.layers[spec.layers.length - 1];
  if (!output) throw new CliError('model.layers is empty: add at least one layer');
  const training = resolveTrainingConfig(job.training as never, { task: data.task, outputActivation: output.activation, outputUnits: output.units });
  const issues = validateJob(spec, training, { task: data.task, features: data.features.length, classes: data.classes?.length, rows: data.rows });
  if (issues.length > 0) throw new CliError(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
  const initialWeights = values.init ? decodeSafetensors(new Uint8Array(readFileSync(values.init))) : undefined;

  const trainer = new Trainer({ spec, training, data, initialWeights });
  const progress = new Progress();
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const outcome = await trainer.run({
    signal: controller.signal,
    onStep: (report) => progress.step(report),
    onEpoch: (report) => progress.epoch(report),
  });
  writeFileSync(values.out, encodeSafetensors(trainer.model()));
  const metrics: Partial<EpochMetrics> = outcome.metrics ?? {};
  process.stdout.write(
    `${JSON.stringify({
      epochsRun: outcome.epochsRun,
      metrics: { loss: metrics.loss ?? null, accuracy: metrics.accuracy ?? null, valLoss: metrics.valLoss ?? null, valAccuracy: metrics.valAccuracy ?? null },
      samplesPerSecond: outcome.samplesPerSecond,
      backend: outcome.backend,
      stoppedEarly: outcome.stoppedEarly,
    })}\n`,
  );
  if (outcome.status === 'aborted') process.exitCode = 130;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'train') return train(rest);
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  throw new CliError(`unknown command "${command}"\n${USAGE}`);
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  const known = error instanceof CliError || error instanceof DatasetError || error instanceof WeightsFormatError || error instanceof TrainingError;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`backprop: ${known ? message : `unexpected error: ${message}`}\n`);
  process.exitCode = known ? 2 : 1;
}
