// The `trainyard` command against a real service: API and worker processes, PostgreSQL, Redis.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainyardClient, type Dataset, type Job, type Page } from '@trainyard/client';
import { readSafetensorsHeader, REPO_ROOT, startService, type RunningService } from '@trainyard/client/testing';
import { runCli } from './run-cli.ts';

const IRIS_SPEC = {
  dataset: 'builtin:iris',
  model: { layers: [{ units: 8, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
  training: { epochs: 12, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.02 }, validationSplit: 0.2, seed: 7 },
  snapshots: { everyEpochs: 5, keep: 2 },
};
/** Minutes of training (MNIST epochs of tens of milliseconds): still running when cancelled. */
const LONG_SPEC = {
  ...IRIS_SPEC,
  dataset: 'builtin:mnist',
  model: { layers: [{ units: 32, activation: 'relu' }, { units: 10, activation: 'softmax' }] },
  training: { ...IRIS_SPEC.training, epochs: 5000, batchSize: 32 },
};

let service: RunningService;
let client: TrainyardClient;
let env: Record<string, string>;
let dir: string;
let irisJob: Job;

const cli = (...args: string[]) => runCli(args, env, { cwd: dir });

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

beforeAll(async () => {
  service = await startService({ name: 'cli' });
  client = new TrainyardClient({ baseUrl: service.url, apiKey: service.apiKey });
  env = { TRAINYARD_URL: service.url, TRAINYARD_API_KEY: service.apiKey };
  dir = await mkdtemp(join(tmpdir(), 'trainyard-cli-'));
  await writeFile(join(dir, 'iris.json'), JSON.stringify(IRIS_SPEC));
  await writeFile(join(dir, 'long.json'), JSON.stringify(LONG_SPEC));
}, 120_000);

afterAll(async () => {
  await service?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('trainyard datasets', () => {
  it('uploads a CSV file and lists it beside the built-ins', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${i % 7},${(i * 3) % 5},${i % 2 === 0 ? 'even' : 'odd'}`);
    await writeFile(join(dir, 'parity.csv'), ['a,b,kind', ...rows].join('\n'));

    const upload = await cli('datasets', 'upload', 'parity.csv', '--target', 'kind', '--task', 'classification');
    expect(upload.code, upload.stderr).toBe(0);
    const id = upload.stdout.trim();
    expect(id).toMatch(/^ds_/);
    expect(upload.stderr).toContain('40 rows, 2 features');

    const list = await cli('datasets', 'list', '--json');
    expect(list.code, list.stderr).toBe(0);
    const page = JSON.parse(list.stdout) as Page<Dataset>;
    expect(page.data.map((dataset) => dataset.id)).toEqual(expect.arrayContaining(['builtin:iris', 'builtin:mnist', id]));
    expect(page.data.find((dataset) => dataset.id === id)).toMatchObject({ rows: 40, features: ['a', 'b'], target: 'kind', classes: ['even', 'odd'] });
  });

  it('says which option is missing', async () => {
    const result = await cli('datasets', 'upload', 'parity.csv', '--task', 'classification');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing --target');
  });
});

describe('trainyard jobs submit --watch', () => {
  it('prints the job id, shows a progress bar on stderr, and exits 0 when the job succeeds', async () => {
    const result = await cli('jobs', 'submit', 'iris.json', '--watch');
    expect(result.code, result.stderr).toBe(0);
    const id = result.stdout.trim();
    expect(id).toMatch(/^job_/);
    irisJob = await client.getJob(id);
    expect(irisJob.status).toBe('succeeded');

    // Not a terminal: one line per redraw. The last bar shows the end of training with its metrics.
    const bars = result.stderr.split('\n').filter((line) => line.includes(' epoch '));
    expect(bars.length).toBeGreaterThanOrEqual(2);
    const last = bars[bars.length - 1];
    expect(last).toMatch(/^succeeded\s+epoch 12\/12\s+█+\s+100\.0%\s+loss \S+\s+val_loss \S+\s+acc \S+%\s+val_acc \S+%\s+ETA 0:00$/);
    expect(result.stderr).toContain(`${id} succeeded in`);
    expect(result.stderr).toContain(`weights: trainyard weights download ${id}`);
    await mkdir(join(REPO_ROOT, 'test-artifacts'), { recursive: true });
    await writeFile(join(REPO_ROOT, 'test-artifacts', 'cli-watch.txt'), `$ trainyard jobs submit iris.json --watch\n${result.stdout}${result.stderr}`);
  });

  it('shows the API\'s validation errors with their paths, and exits 1', async () => {
    const bad = { ...IRIS_SPEC, model: { layers: [{ units: 8, activation: 'softmax' }, { units: 3, activation: 'swish' }] } };
    const result = runCli(['jobs', 'submit', '-'], env, { cwd: dir, stdin: JSON.stringify(bad) });
    const { code, stderr } = await result;
    expect(code).toBe(1);
    expect(stderr).toMatch(/HTTP 400/);
    expect(stderr).toContain('model.layers[1].activation: must be one of');
  });

  it('rejects a file that is not JSON before calling the service', async () => {
    await writeFile(join(dir, 'broken.json'), '{ "dataset": ');
    const result = await cli('jobs', 'submit', 'broken.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('broken.json is not valid JSON');
  });
});

describe('trainyard jobs list | get | logs', () => {
  it('lists jobs with a status filter', async () => {
    const result = await cli('jobs', 'list', '--status', 'succeeded', '--json');
    expect(result.code, result.stderr).toBe(0);
    const page = JSON.parse(result.stdout) as Page<Job>;
    expect(page.data.map((job) => job.id)).toContain(irisJob.id);
    expect(page.data.every((job) => job.status === 'succeeded')).toBe(true);

    const table = await cli('jobs', 'list');
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+STATUS\s+DATASET\s+EPOCH/);
    expect(table.stdout).toMatch(new RegExp(`${irisJob.id}\\s+succeeded\\s+builtin:iris\\s+12/12`));
  });

  it('shows one job, with its backend and timings', async () => {
    const result = await cli('jobs', 'get', irisJob.id);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`backend    ${irisJob.backend}`);
    expect(result.stdout).toContain(`started    ${irisJob.startedAt}`);
    expect(result.stdout).toContain('model      4 inputs → 8 relu → 3 softmax');
  });

  it('prints one line per metric point, and replays the event stream with --follow', async () => {
    const points = await client.allMetrics(irisJob.id);
    expect(points.length).toBe(12);

    const logs = await cli('jobs', 'logs', irisJob.id);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout.split('\n').filter((line) => /\bepoch\s+\d+\s+step/.test(line))).toHaveLength(points.length);
    expect(logs.stdout.trim().split('\n').at(-1)).toMatch(/status\s+succeeded$/);

    const follow = await cli('jobs', 'logs', irisJob.id, '--follow', '--json');
    expect(follow.code, follow.stderr).toBe(0);
    const events = follow.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; step?: number; status?: string });
    expect(events.filter((event) => event.type === 'metrics').map((event) => event.step)).toEqual(points.map((point) => point.step));
    expect(events.filter((event) => event.type === 'status').map((event) => event.status)).toContain('running');
    expect(events.at(-1)).toMatchObject({ type: 'status', status: 'succeeded' });
  });
});

describe('trainyard weights download', () => {
  it('writes the final safetensors weights, byte for byte what the API serves', async () => {
    const result = await cli('weights', 'download', irisJob.id, '-o', 'iris.safetensors');
    expect(result.code, result.stderr).toBe(0);
    const file = new Uint8Array(await readFile(join(dir, 'iris.safetensors')));
    expect(Buffer.from(file).equals(Buffer.from(await client.jobWeights(irisJob.id)))).toBe(true);
    const { tensors } = readSafetensorsHeader(file);
    expect(tensors['layers.0.weight']).toMatchObject({ dtype: 'F32', shape: [8, 4] });
    expect(tensors['layers.1.weight']).toMatchObject({ dtype: 'F32', shape: [3, 8] });
    expect(tensors['layers.1.bias']).toMatchObject({ dtype: 'F32', shape: [3] });
  });

  it('writes JSON weights to <job>.json by default', async () => {
    const result = await cli('weights', 'download', irisJob.id, '--format', 'json', '--which', 'best');
    expect(result.code, result.stderr).toBe(0);
    const weights = JSON.parse(await readFile(join(dir, `${irisJob.id}.json`), 'utf8')) as { layers: { weight: number[][]; bias: number[]; activation: string }[] };
    expect(weights.layers.map((layer) => [layer.weight.length, layer.weight[0].length, layer.activation])).toEqual([
      [8, 4, 'relu'],
      [3, 8, 'softmax'],
    ]);
  });
});

describe('trainyard weights download --format onnx', () => {
  it('writes the ONNX model the API serves, and ONNX Runtime answers as /predict does', async () => {
    const result = await cli('weights', 'download', irisJob.id, '--format', 'onnx');
    expect(result.code, result.stderr).toBe(0);
    const file = await readFile(join(dir, `${irisJob.id}.onnx`));
    expect(file.equals(Buffer.from(await client.jobWeights(irisJob.id, { format: 'onnx' })))).toBe(true);
    const session = await ort.InferenceSession.create(file);
    const row = [5.1, 3.5, 1.4, 0.2];
    const { features } = await client.getDataset('builtin:iris');
    expect([...session.inputNames].sort()).toEqual([...features].sort());
    const feeds = Object.fromEntries(features.map((name, i) => [name, new ort.Tensor('float32', Float32Array.of(row[i]), [1, 1])]));
    const answer = await session.run(feeds);
    const expected = await client.predict(irisJob.id, [row]);
    expect(Array.from(answer.label.data as string[])).toEqual(expected.labels);
    Array.from(answer.outputs.data as Float32Array).forEach((value, i) => expect(value).toBeCloseTo(expected.outputs[0][i], 5));
  });
});

describe('trainyard predict', () => {
  it('reads a CSV by header names (ignoring the label column) and prints labels and probabilities', async () => {
    const rows = [
      [5.1, 3.5, 1.4, 0.2],
      [6.7, 3.1, 5.6, 2.4],
    ];
    await writeFile(join(dir, 'flowers.csv'), ['species,petal_width,petal_length,sepal_width,sepal_length', ...rows.map((row) => `?,${[...row].reverse().join(',')}`)].join('\n'));
    const expected = await client.predict(irisJob.id, rows);

    const json = await cli('predict', irisJob.id, 'flowers.csv', '--json');
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(expected);

    const table = await cli('predict', irisJob.id, 'flowers.csv');
    expect(table.code, table.stderr).toBe(0);
    const [header, ...lines] = table.stdout.trim().split('\n');
    expect(header).toMatch(/^ROW\s+LABEL\s+setosa\s+versicolor\s+virginica$/);
    expect(lines.map((line) => line.split(/\s+/)[1])).toEqual(expected.labels);
  });

  it('names the bad cell of an inputs file', async () => {
    await writeFile(join(dir, 'bad.json'), JSON.stringify([[1, 2, 3, 'x']]));
    const result = await cli('predict', irisJob.id, 'bad.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad.json: row 1, column 4: "x" is not a number');
  });
});

describe('trainyard jobs cancel', () => {
  it('cancels a running job; watching it then ends with exit code 1', async () => {
    const submit = await cli('jobs', 'submit', 'long.json');
    expect(submit.code, submit.stderr).toBe(0);
    const id = submit.stdout.trim();
    await waitFor(async () => ((await client.getJob(id)).progress.epoch >= 1 ? true : undefined), 'the long job to train an epoch');

    const watch = cli('jobs', 'watch', id);
    const cancel = await cli('jobs', 'cancel', id);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toMatch(new RegExp(`^${id} (cancelled|is stopping)`));

    const watched = await watch;
    expect(watched.code, watched.stderr).toBe(1);
    expect(watched.stderr).toContain(`${id} cancelled`);
    const job = await client.getJob(id);
    expect(job.status).toBe('cancelled');
    expect(job.progress.epoch).toBeLessThan(LONG_SPEC.training.epochs);

    const again = await cli('jobs', 'cancel', id);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('HTTP 409');
  });
});

describe('configuration', () => {
  it('takes the URL and key from flags over the environment, and reports a bad key', async () => {
    const result = await runCli(['jobs', 'list', '--url', service.url, '--api-key', 'ty_not_a_key_of_anyone_000000000'], {}, { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('HTTP 401');
  });

  it('says where it tried when the service is not there', async () => {
    const result = await runCli(['jobs', 'list'], { TRAINYARD_URL: 'http://127.0.0.1:9', TRAINYARD_API_KEY: 'ty_x' }, { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot reach http://127.0.0.1:9/v1/jobs');
  });
});
