// The local `backprop train` gives the service's weights: the same file and spec, uploaded to the real API and
// trained by a real worker process, and trained by the bin, on the same kernel backend and thread count, end
// in the same safetensors bytes (tensors and preprocessing metadata) and the same evaluation.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, decodeSafetensors } from '@trainyard/backprop';
import { TrainyardClient, type DatasetFileFields, type Evaluation, type Job, type JobSubmitBody } from '@trainyard/client';
import { startService, type RunningService } from '@trainyard/client/testing';
import { parquetOfJson } from './parquet-file.ts';
import { backprop, expectSummary, type EvaluationSummary } from './run-backprop.ts';
import { PENGUINS, SEATTLE_WEATHER } from './vega-data.ts';

/** The service and the bin choose their kernel from the same variables (selectKernel): pin both. */
const KERNEL = { BACKPROP_BACKEND: availableBackends()[0], BACKPROP_THREADS: '1' };
const FINISHED = ['succeeded', 'failed', 'cancelled'];

let service: RunningService;
let client: TrainyardClient;
const dir = mkdtempSync(join(tmpdir(), 'backprop-same-weights-'));

beforeAll(async () => {
  service = await startService({ name: 'backprop_cli', env: KERNEL });
  client = new TrainyardClient({ baseUrl: service.url, apiKey: service.apiKey, timeoutMs: 120_000 });
});

afterAll(async () => {
  await service?.stop();
});

interface Case {
  /** The file as a user has it. */
  file: string;
  bytes: Uint8Array;
  /** The upload's fields; the bin gets the same as --target, --task and --column flags. */
  fields: Omit<DatasetFileFields, 'name' | 'columns'> & { columns?: Record<string, string> };
  job: Omit<JobSubmitBody, 'dataset'>;
}

async function finished(id: string): Promise<Job> {
  for (;;) {
    const job = await client.getJob(id);
    if (FINISHED.includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function throughService({ file, bytes, fields, job }: Case) {
  const dataset = await client.uploadDatasetFile(bytes, basename(file), fields as DatasetFileFields);
  const submitted = await client.submitJob({ ...job, dataset: dataset.id } as JobSubmitBody);
  const done = await finished(submitted.id);
  expect(done.status, `${JSON.stringify(done.error)}\n${service.logs()}`).toBe('succeeded');
  expect(done.backend).toBe(KERNEL.BACKPROP_BACKEND);
  return { weights: await client.jobWeights(done.id), evaluation: await client.evaluation(done.id) };
}

function throughBin({ file, bytes, fields, job }: Case) {
  const name = basename(file);
  writeFileSync(join(dir, name), bytes);
  writeFileSync(join(dir, `${name}.job.json`), JSON.stringify({ ...job, dataset: name }));
  const flags = ['--target', fields.target, ...(fields.task ? ['--task', fields.task] : [])];
  for (const [column, type] of Object.entries(fields.columns ?? {})) flags.push('--column', `${column}=${type}`);
  const summary = expectSummary(backprop(['train', `${name}.job.json`, '--out', `${name}.safetensors`, ...flags], { cwd: dir, env: KERNEL }));
  return { weights: new Uint8Array(readFileSync(join(dir, `${name}.safetensors`))), evaluation: summary.evaluation! };
}

/** Metadata first, then each tensor, then every byte: a failure says which part differs. */
function expectSameWeights(local: Uint8Array, remote: Uint8Array): void {
  const [mine, theirs] = [decodeSafetensors(local), decodeSafetensors(remote)];
  expect(mine.preprocessing).toEqual(theirs.preprocessing);
  expect({ ...mine, layers: null }).toEqual({ ...theirs, layers: null });
  mine.layers.forEach((layer, i) => {
    expect(Buffer.compare(Buffer.from(layer.weight.buffer, layer.weight.byteOffset, layer.weight.byteLength),
      Buffer.from(theirs.layers[i].weight.buffer, theirs.layers[i].weight.byteOffset, theirs.layers[i].weight.byteLength)), `layers.${i}.weight`).toBe(0);
    expect([...layer.bias], `layers.${i}.bias`).toEqual([...theirs.layers[i].bias]);
  });
  expect(Buffer.compare(Buffer.from(local), Buffer.from(remote))).toBe(0);
}

function expectSameEvaluation(local: EvaluationSummary, remote: Evaluation): void {
  expect({ split: local.split, rows: local.rows }).toEqual({ split: remote.split, rows: remote.rows });
  if (remote.classification) {
    const { accuracy, balancedAccuracy, macroF1 } = remote.classification;
    expect({ accuracy: local.accuracy, balancedAccuracy: local.balancedAccuracy, macroF1: local.macroF1 }).toEqual({ accuracy, balancedAccuracy, macroF1 });
  } else {
    const { rmse, mae, r2 } = remote.regression!;
    expect({ rmse: local.rmse, mae: local.mae, r2: local.r2 }).toEqual({ rmse, mae, r2 });
  }
  expect(local.topFeatures).toEqual(remote.featureImportance.slice(0, local.topFeatures.length));
}

/** The bin's weights per file name, to compare files of one table. */
const binWeights = new Map<string, Uint8Array>();

function sameAsService(what: string, testCase: Case): void {
  it(what, async () => {
    const remote = await throughService(testCase);
    const local = throughBin(testCase);
    binWeights.set(basename(testCase.file), local.weights);
    expectSameWeights(local.weights, remote.weights);
    expectSameEvaluation(local.evaluation, remote.evaluation);
  });
}

const PENGUINS_JOB: Case['job'] = {
  model: { layers: [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
  training: { epochs: 30, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.01 }, testSplit: 0.2, classWeights: 'balanced', seed: 7 },
};

describe(`the bin and the service (${KERNEL.BACKPROP_BACKEND} kernel, 1 thread) give the same weights`, () => {
  sameAsService('penguins.json: inferred task, gaps, categories, stratified test split, balanced class weights', {
    file: PENGUINS, bytes: readFileSync(PENGUINS), fields: { target: 'Species' }, job: PENGUINS_JOB,
  });

  sameAsService('penguins.parquet (written by parquet-wasm from the JSON)', {
    file: join(dir, 'penguins.parquet'), bytes: parquetOfJson(PENGUINS), fields: { target: 'Species' }, job: PENGUINS_JOB,
  });

  it('penguins.parquet and penguins.json are one table: the same weights', () => {
    expect(Buffer.compare(Buffer.from(binWeights.get('penguins.parquet')!), Buffer.from(binWeights.get('penguins.json')!))).toBe(0);
  });

  sameAsService('seattle-weather.csv: the weather as classes, a column ignored, a feature excluded, weights per label', {
    file: SEATTLE_WEATHER,
    bytes: readFileSync(SEATTLE_WEATHER),
    fields: { target: 'weather', task: 'classification', columns: { wind: 'ignore' } },
    job: {
      model: { layers: [{ units: 12, activation: 'tanh' }, { units: 5, activation: 'softmax' }] },
      features: { exclude: ['temp_min'] },
      training: {
        epochs: 15, batchSize: 32, optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9 }, testSplit: 0.1, seed: 3,
        classWeights: { sun: 1, rain: 1, fog: 3, drizzle: 3, snow: 3 },
      },
    },
  });

  sameAsService('seattle-weather.csv.gz: a regression with a date column and a standardised target', {
    file: `${SEATTLE_WEATHER}.gz`,
    bytes: gzipSync(readFileSync(SEATTLE_WEATHER)),
    fields: { target: 'temp_max' },
    job: {
      model: { layers: [{ units: 16, activation: 'relu' }, { units: 1, activation: 'linear' }] },
      training: { epochs: 20, optimizer: { type: 'adam', learningRate: 0.01 }, testSplit: 0.2, earlyStopping: { metric: 'valLoss', patience: 5 } },
    },
  });
});
