// ?format=onnx through HTTP, run by a real consumer (ONNX Runtime): models trained by a real worker on public
// tables as published, fed the file's raw rows (gaps, unseen categories, dates as Unix seconds), must answer what
// /predict answers for the same rows, within 1e-5 of max(1, |value|), with the same labels.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApi, type TestApi } from './harness.ts';
import { binary, REPO_ROOT, startWorker, type TestWorker } from './worker-process.ts';

const DATA = `${REPO_ROOT}node_modules/vega-datasets/data/`;
const WAIT = { timeout: 240_000, interval: 100 };

let api: TestApi;
let worker: TestWorker;
/** The largest difference seen over every table, printed at the end for the README. */
let largest = 0;

beforeAll(async () => {
  api = await startTestApi('onnx');
  worker = startWorker(api);
});

afterAll(async () => {
  console.log(`largest |ONNX Runtime − /predict| / max(1, |value|) over every table: ${largest.toExponential(2)}`);
  await worker?.stop();
  await api?.close();
});

interface Column {
  name: string;
  type: string;
  role: string;
}

async function trained(file: string, target: string, body: Record<string, unknown>): Promise<{ jobId: string; columns: Column[] }> {
  const upload = await api.http.post('/v1/datasets').set(api.alice.auth).field('name', file).field('target', target).attach('file', readFileSync(DATA + file), file);
  expect(upload.status, JSON.stringify(upload.body)).toBe(201);
  const submitted = await api.http.post('/v1/jobs').set(api.alice.auth).send({ dataset: upload.body.id, ...body });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
  let job = submitted.body;
  await vi.waitFor(async () => {
    job = (await api.http.get(`/v1/jobs/${job.id}`).set(api.alice.auth)).body;
    if (!['succeeded', 'failed', 'cancelled'].includes(job.status)) throw new Error(`${job.status}\n${worker.log().slice(-2000)}`);
  }, WAIT);
  expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
  return { jobId: job.id, columns: upload.body.columns };
}

/** Raw rows → ONNX Runtime's feeds, as the contract says a client builds them. */
function feeds(session: ort.InferenceSession, columns: Column[], rows: Record<string, unknown>[]): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {};
  for (const name of session.inputNames) {
    const type = columns.find((c) => c.name === name)!.type;
    const values = rows.map((row) => row[name]);
    const missing = (v: unknown) => v === null || v === undefined || v === '';
    if (type === 'category') out[name] = new ort.Tensor('string', values.map((v) => (missing(v) ? '' : String(v).trim())), [rows.length, 1]);
    else if (type === 'datetime') out[name] = new ort.Tensor('float64', Float64Array.from(values, (v) => (missing(v) ? NaN : Date.parse(String(v)) / 1000)), [rows.length, 1]);
    else if (type === 'boolean') out[name] = new ort.Tensor('float32', Float32Array.from(values, (v) => (missing(v) ? NaN : v === true || /^(true|yes)$/i.test(String(v)) ? 1 : 0)), [rows.length, 1]);
    else out[name] = new ort.Tensor('float32', Float32Array.from(values, (v) => (missing(v) ? NaN : Number(v))), [rows.length, 1]);
  }
  return out;
}

async function compare(jobId: string, columns: Column[], rows: Record<string, unknown>[]): Promise<void> {
  const onnx = await binary(api.http.get(`/v1/jobs/${jobId}/weights?format=onnx`).set(api.alice.auth));
  expect(onnx.status).toBe(200);
  expect(onnx.headers['content-type']).toContain('application/octet-stream');
  const session = await ort.InferenceSession.create(onnx.body as Buffer);
  const features = columns.filter((c) => c.role === 'feature').map((c) => c.name);
  expect([...session.inputNames].sort()).toEqual([...features].sort());

  const predicted = await api.http.post(`/v1/jobs/${jobId}/predict`).set(api.alice.auth).send({ rows });
  expect(predicted.status, JSON.stringify(predicted.body)).toBe(200);
  const result = await session.run(feeds(session, columns, rows));
  const outputs = result.outputs.data as Float32Array;
  const units = predicted.body.outputs[0].length;
  expect(result.outputs.dims).toEqual([rows.length, units]);
  predicted.body.outputs.forEach((row: number[], r: number) => row.forEach((value, u) => {
    const difference = Math.abs(outputs[r * units + u] - value) / Math.max(1, Math.abs(value));
    largest = Math.max(largest, difference);
    expect(difference, `row ${r + 1}, output ${u}`).toBeLessThanOrEqual(1e-5);
  }));
  if (predicted.body.labels) expect(Array.from(result.label.data as string[])).toEqual(predicted.body.labels);
  else expect(session.outputNames).toEqual(['outputs']);
}

describe('exported models answer as /predict does on the raw rows of the file', () => {
  it('penguins.json: categories with gaps, and an island no model has seen', async () => {
    const { jobId, columns } = await trained('penguins.json', 'Species', {
      model: { layers: [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
      training: { epochs: 5, seed: 2 },
    });
    const rows = JSON.parse(readFileSync(DATA + 'penguins.json', 'utf8')) as Record<string, unknown>[];
    rows[0].Island = 'Atlantis';
    rows[1].Sex = null;
    await compare(jobId, columns, rows);
  });

  it('cars.json: a regression target with gaps, a date column, a text column not used', async () => {
    const { jobId, columns } = await trained('cars.json', 'Miles_per_Gallon', {
      model: { layers: [{ units: 12, activation: 'tanh' }, { units: 1, activation: 'linear' }] },
      training: { epochs: 5, seed: 4 },
    });
    expect(columns.find((c) => c.name === 'Year')!.type).toBe('datetime');
    expect(columns.find((c) => c.name === 'Name')!.type).toBe('text');
    await compare(jobId, columns, JSON.parse(readFileSync(DATA + 'cars.json', 'utf8')));
  });

  it('seattle-weather.csv: dates in a CSV, five classes, sigmoid hidden units', async () => {
    const { jobId, columns } = await trained('seattle-weather.csv', 'weather', {
      model: { layers: [{ units: 8, activation: 'sigmoid' }, { units: 5, activation: 'softmax' }] },
      training: { epochs: 3, seed: 6, normalize: false },
    });
    const [header, ...lines] = readFileSync(DATA + 'seattle-weather.csv', 'utf8').trim().split('\n');
    const names = header.split(',');
    const rows = lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [names[i], value])));
    await compare(jobId, columns, rows);
  });

  it('builtin:iris (numbers only, no preprocessing): one float input per feature', async () => {
    const submitted = await api.http.post('/v1/jobs').set(api.alice.auth).send({
      dataset: 'builtin:iris', model: { layers: [{ units: 8, activation: 'leaky_relu' }, { units: 3, activation: 'softmax' }] }, training: { epochs: 3 },
    });
    let job = submitted.body;
    await vi.waitFor(async () => {
      job = (await api.http.get(`/v1/jobs/${job.id}`).set(api.alice.auth)).body;
      if (job.status !== 'succeeded') throw new Error(job.status);
    }, WAIT);
    const dataset = (await api.http.get('/v1/datasets/builtin:iris').set(api.alice.auth)).body as { features: string[] };
    const columns = dataset.features.map((name) => ({ name, type: 'number', role: 'feature' }));
    const rows = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.1, 4.4, 1.4], [6.3, 3.3, 6.0, 2.5]].map((values) => Object.fromEntries(dataset.features.map((f, i) => [f, values[i]])));
    const inputs = rows.map((row) => dataset.features.map((f) => row[f]));
    const onnx = await binary(api.http.get(`/v1/snapshots/${job.finalSnapshot}/weights?format=onnx`).set(api.alice.auth));
    const session = await ort.InferenceSession.create(onnx.body as Buffer);
    const predicted = await api.http.post(`/v1/jobs/${job.id}/predict`).set(api.alice.auth).send({ inputs });
    const result = await session.run(feeds(session, columns, rows));
    const outputs = result.outputs.data as Float32Array;
    predicted.body.outputs.flat().forEach((value: number, i: number) => expect(Math.abs(outputs[i] - value)).toBeLessThanOrEqual(1e-5));
    expect(Array.from(result.label.data as string[])).toEqual(predicted.body.labels);
  });
});
