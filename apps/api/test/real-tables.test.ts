// Real public tables as published (vega-datasets), through HTTP as a client sends them, trained by a real
// worker process: typed columns and their profile, a preprocessing any client can reproduce from the
// weights' metadata, the evaluation, and predictions on raw rows.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SavedModel } from '@trainyard/backprop';
import { parseDatetime, splitRows } from '@trainyard/tabular';
import { startTestApi, type TestApi } from './harness.ts';
import { binary, REPO_ROOT, startWorker, type TestWorker } from './worker-process.ts';
import { readSafetensors, referenceForward } from './fixtures.ts';

const DATA = `${REPO_ROOT}node_modules/vega-datasets/data/`;
const PENGUINS_BYTES = readFileSync(`${DATA}penguins.json`);
const penguins = JSON.parse(PENGUINS_BYTES.toString('utf8')) as Record<string, string | number | null>[];
const WEATHER_CSV = readFileSync(`${DATA}seattle-weather.csv`);
const WAIT = { timeout: 240_000, interval: 200 };

let api: TestApi;
let worker: TestWorker;

beforeAll(async () => {
  api = await startTestApi('real_tables');
  worker = startWorker(api);
});

afterAll(async () => {
  await worker?.stop();
  await api?.close();
});

async function finished(id: string) {
  let job: { status: string; error: unknown } = { status: '', error: null };
  await vi.waitFor(async () => {
    job = (await api.http.get(`/v1/jobs/${id}`).set(api.alice.auth)).body;
    if (!['succeeded', 'failed', 'cancelled'].includes(job.status)) throw new Error(`job ${id} is ${job.status}\n${worker.log().slice(-2000)}`);
  }, WAIT);
  expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
  return job as unknown as { id: string; inputSize: number; metrics: Record<string, number>; finalSnapshot: string };
}


async function weightsOf(jobId: string): Promise<{ model: SavedModel; preprocessing: Preprocessing }> {
  const file = readSafetensors((await binary(api.http.get(`/v1/jobs/${jobId}/weights`).set(api.alice.auth))).body as Buffer);
  const architecture = JSON.parse(file.metadata.architecture);
  const model: SavedModel = {
    architecture,
    layers: architecture.layers.map((_: unknown, i: number) => ({
      weight: Float32Array.from(file.tensor(`layers.${i}.weight`).values),
      bias: Float32Array.from(file.tensor(`layers.${i}.bias`).values),
    })),
    normalization: null, // the preprocessing's own mean and std are applied by encode() below
    classes: file.metadata.classes ? JSON.parse(file.metadata.classes) : undefined,
  };
  return { model, preprocessing: JSON.parse(file.metadata.preprocessing) };
}

interface Preprocessing {
  columns: { name: string; type: string; fill?: number; indicator?: boolean; mean?: number; std?: number; categories?: string[]; parts?: string[] }[];
  inputs: string[];
  target?: { mean: number; std: number };
}

/** A client's encoder, written from the contract and the README alone (float64): raw row → the model's inputs. */
function encode(p: Preprocessing, row: Record<string, unknown>): number[] {
  const out: number[] = [];
  for (const c of p.columns) {
    const raw = row[c.name];
    const missing = raw === null || raw === undefined || raw === '';
    if (c.type === 'number') {
      out.push(((missing ? c.fill! : Number(raw)) - c.mean!) / c.std!);
      if (c.indicator) out.push(missing ? 1 : 0);
    } else if (c.type === 'boolean') {
      out.push(missing ? c.fill! : raw === true || /^(true|yes)$/i.test(String(raw)) ? 1 : 0);
      if (c.indicator) out.push(missing ? 1 : 0);
    } else if (c.type === 'category') {
      const at = missing ? -1 : c.categories!.indexOf(String(raw).trim());
      c.categories!.forEach((_, i) => out.push(i === at ? 1 : 0));
      out.push(at < 0 ? 1 : 0);
    } else if (c.type === 'datetime') {
      const t = missing ? Number.NaN : parseDatetime(String(raw))!;
      const period: Record<string, number> = { year: 31_556_952, week: 604_800, day: 86_400 };
      for (const part of c.parts!) {
        if (part === 'years') out.push(((missing ? c.fill! : t / period.year) - c.mean!) / c.std!);
        else {
          const angle = (2 * Math.PI * t) / period[part.split('_')[0]];
          out.push(missing ? 0 : part.endsWith('sin') ? Math.sin(angle) : Math.cos(angle));
        }
      }
      if (c.indicator) out.push(missing ? 1 : 0);
    }
  }
  return out;
}

describe('penguins, as published (JSON with gaps and categories)', () => {
  let datasetId: string;
  let jobId: string;

  it('uploads the file as it is and profiles every column', async () => {
    const response = await api.http.post('/v1/datasets').set(api.alice.auth).field('target', 'Species').attach('file', PENGUINS_BYTES, 'penguins.json');
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    datasetId = response.body.id;
    expect(response.body).toMatchObject({ task: 'classification', rows: penguins.length, rowsWithoutTarget: 0, target: 'Species' });
    const names = Object.keys(penguins[0]);
    expect(response.body.features).toEqual(names.filter((n) => n !== 'Species'));
    expect(response.body.classes).toEqual([...new Set(penguins.map((p) => p.Species as string))].sort());
    for (const column of response.body.columns) {
      const values = penguins.map((p) => p[column.name]);
      const present = values.filter((v) => v !== null && v !== undefined && v !== '');
      expect(column.missing, column.name).toBe(values.length - present.length);
      expect(column.distinct, column.name).toBe(new Set(present).size);
      expect(column.type, column.name).toBe(typeof present[0] === 'number' ? 'number' : 'category');
      if (column.type === 'number') expect(column.mean).toBeCloseTo((present as number[]).reduce((a, b) => a + b, 0) / present.length, 9);
    }
    const sex = response.body.columns.find((c: { name: string }) => c.name === 'Sex');
    expect(sex.missing).toBeGreaterThan(0);
  });

  it('trains with a stratified test split and balanced class weights', async () => {
    const body = {
      dataset: datasetId,
      model: { layers: [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
      training: { epochs: 40, batchSize: 16, testSplit: 0.2, classWeights: 'balanced', optimizer: { learningRate: 0.01 } },
    };
    const submitted = await api.http.post('/v1/jobs').set(api.alice.auth).send(body);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    expect(submitted.body.training).toMatchObject({ testSplit: 0.2, classWeights: 'balanced', maxCategories: 50 });
    jobId = submitted.body.id;
    const job = await finished(jobId);
    const { preprocessing } = await weightsOf(jobId);
    expect(job.inputSize).toBe(preprocessing.inputs.length);
    expect(preprocessing.inputs).toEqual(expect.arrayContaining(['Island=Biscoe', 'Island=Dream', 'Island=Torgersen', 'Island:other', 'Sex=MALE', 'Sex=FEMALE', 'Sex:other']));
    expect(job.metrics.valAccuracy).toBeGreaterThan(0.9);
  });

  it('evaluates on the test rows: the same accuracy as a client computes from the weights alone', async () => {
    const evaluation = (await api.http.get(`/v1/jobs/${jobId}/evaluation`).set(api.alice.auth)).body;
    const classes = [...new Set(penguins.map((p) => p.Species as string))].sort();
    const { test } = splitRows({ rows: penguins.length, classes: penguins.map((p) => classes.indexOf(p.Species as string)), testSplit: 0.2, validationSplit: 0.2, seed: 42 });
    expect(evaluation).toMatchObject({ jobId, split: 'test', rows: test.length });
    const { model, preprocessing } = await weightsOf(jobId);
    let correct = 0;
    for (const row of test) {
      const out = referenceForward(model, encode(preprocessing, penguins[row]));
      if (classes[out.indexOf(Math.max(...out))] === penguins[row].Species) correct++;
    }
    const c = evaluation.classification;
    expect(c.accuracy).toBeCloseTo(correct / test.length, 12);
    expect(c.confusion.labels).toEqual(classes);
    expect(c.confusion.counts.flat().reduce((a: number, b: number) => a + b, 0)).toBe(test.length);
    expect(c.perClass.map((p: { support: number }) => p.support)).toEqual(c.confusion.counts.map((r: number[]) => r.reduce((a, b) => a + b, 0)));
    expect(c.rocAuc).toBeGreaterThan(0.9);
    expect(evaluation.featureImportance.map((f: { feature: string }) => f.feature).sort()).toEqual(Object.keys(penguins[0]).filter((n) => n !== 'Species').sort());
    expect((await api.http.get(`/v1/jobs/${jobId}/evaluation?snapshot=nope`).set(api.alice.auth)).status).toBe(404);
  });

  it('predicts raw rows as a client encodes them, unseen categories included, and names a bad value', async () => {
    const { model, preprocessing } = await weightsOf(jobId);
    const rows = [penguins[0], penguins[3], { ...penguins[200], Island: 'Atlantis', Sex: null }, { Island: 'Dream' }];
    const response = await api.http.post(`/v1/jobs/${jobId}/predict`).set(api.alice.auth).send({ rows });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    rows.forEach((row, i) => {
      const expected = referenceForward(model, encode(preprocessing, row));
      response.body.outputs[i].forEach((v: number, j: number) => expect(Math.abs(v - expected[j])).toBeLessThan(1e-5));
    });
    expect(response.body.labels[0]).toBe(penguins[0].Species);
    const bad = await api.http.post(`/v1/jobs/${jobId}/predict`).set(api.alice.auth).send({ rows: [penguins[0], { ...penguins[1], 'Body Mass (g)': 'heavy' }] });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('invalid_input');
    expect(bad.body.error.details[0]).toMatchObject({ row: 2, column: 'Body Mass (g)' });
    expect(bad.body.error.message).toContain('row 2, column "Body Mass (g)"');
  });

  it('answers 422 for features the dataset does not have, and 409 for the evaluation of a job not yet succeeded', async () => {
    const unknown = await api.http.post('/v1/jobs').set(api.alice.auth).send({
      dataset: datasetId, features: { exclude: ['Wingspan'] }, model: { layers: [{ units: 3, activation: 'softmax' }] },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details[0]).toMatchObject({ path: 'features', message: expect.stringContaining('Wingspan') });
    const queued = await api.http.post('/v1/jobs').set(api.alice.auth).send({
      dataset: datasetId, features: { include: ['Island', 'Sex'] }, model: { layers: [{ units: 3, activation: 'softmax' }] }, training: { epochs: 2000 },
    });
    expect(queued.status).toBe(202);
    const distinct = (name: string) => new Set(penguins.map((p) => p[name]).filter((v) => v !== null)).size;
    expect(queued.body.inputSize).toBe(distinct('Island') + 1 + distinct('Sex') + 1); // one-hot plus "other" each
    expect((await api.http.get(`/v1/jobs/${queued.body.id}/evaluation`).set(api.alice.auth)).status).toBe(409);
    await api.http.post(`/v1/jobs/${queued.body.id}/cancel`).set(api.alice.auth);
  });
});

describe('Seattle weather, as published (gzip CSV with dates), as regression', () => {
  it('trains a regression in the target units and evaluates it', async () => {
    const upload = await api.http.post('/v1/datasets').set(api.alice.auth)
      .field('target', 'temp_max').field('columns', JSON.stringify({ temp_min: 'ignore' }))
      .attach('file', gzipSync(WEATHER_CSV), 'seattle-weather.csv.gz');
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);
    expect(upload.body.task).toBe('regression');
    expect(upload.body.columns.find((c: { name: string }) => c.name === 'date').type).toBe('datetime');
    expect(upload.body.columns.find((c: { name: string }) => c.name === 'temp_min').role).toBe('ignored');
    const submitted = await api.http.post('/v1/jobs').set(api.alice.auth).send({
      dataset: upload.body.id,
      model: { layers: [{ units: 16, activation: 'relu' }, { units: 1, activation: 'linear' }] },
      training: { epochs: 30, testSplit: 0.2, optimizer: { learningRate: 0.01 } },
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    const job = await finished(submitted.body.id);
    expect(job.metrics.valRmse).toBeGreaterThan(0);
    expect(job.metrics.valLoss).toBeCloseTo(job.metrics.valRmse ** 2, 6);
    const points = (await api.http.get(`/v1/jobs/${job.id}/metrics`).set(api.alice.auth)).body.data;
    expect(points.at(-1)).toMatchObject({ rmse: expect.any(Number), valR2: expect.any(Number) });
    const evaluation = (await api.http.get(`/v1/jobs/${job.id}/evaluation`).set(api.alice.auth)).body;
    expect(evaluation.split).toBe('test');
    expect(evaluation.regression.r2).toBeGreaterThan(0.5); // the season carries most of it
    expect(evaluation.regression.predictedVsActual.length).toBe(evaluation.rows);
    const { model, preprocessing } = await weightsOf(job.id);
    expect(preprocessing.target!.std).toBeGreaterThan(1);
    const row = { date: '2015-07-04', precipitation: 0, wind: 2.5, weather: 'sun' };
    const predicted = (await api.http.post(`/v1/jobs/${job.id}/predict`).set(api.alice.auth).send({ rows: [row] })).body.outputs[0][0];
    const reference = referenceForward(model, encode(preprocessing, row))[0] * preprocessing.target!.std + preprocessing.target!.mean;
    expect(Math.abs(predicted - reference)).toBeLessThan(1e-4 * Math.max(1, Math.abs(reference)));
    expect(predicted).toBeGreaterThan(15); // a sunny July day in Seattle, °C
  });
});
