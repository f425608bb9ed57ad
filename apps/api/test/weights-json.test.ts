// `?format=json` carries every name the safetensors file holds: classes, target, features, preprocessing, normalization.
import { Value } from 'typebox/value';
import type supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSafetensors } from '@trainyard/backprop';
import { WeightsJson } from '@trainyard/contracts';
import { startTestApi, type TestApi } from './harness.ts';
import { finishJob, IRIS_JOB, irisModel, readSafetensors } from './fixtures.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi('weights_json');
});
afterAll(async () => api?.close());

const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
const preprocessing = {
  columns: FEATURES.map((name, i) => ({ name, type: 'number', fill: i + 1, mean: i + 1, std: 0.5, indicator: false })),
  inputs: FEATURES,
};

const binary = (request: supertest.Test) =>
  request.buffer(true).parse((response, done) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => done(null, Buffer.concat(chunks)));
  });

describe('JSON weights', () => {
  it('hold the metadata of the safetensors file of the same snapshot, and match the WeightsJson schema', async () => {
    const job = await api.http.post('/v1/jobs').set(api.alice.auth).send(IRIS_JOB);
    expect(job.status).toBe(202);
    await finishJob(api.prisma, job.body.id, { ...irisModel(), preprocessing });

    const file = readSafetensors((await binary(api.http.get(`/v1/jobs/${job.body.id}/weights`).set(api.alice.auth))).body);
    const json = await api.http.get(`/v1/jobs/${job.body.id}/weights?format=json`).set(api.alice.auth);
    expect(json.status).toBe(200);
    for (const key of ['classes', 'target', 'features', 'preprocessing', 'normalization']) {
      expect(json.body[key], key).toEqual(JSON.parse(file.metadata[key]));
    }
    expect(json.body).toMatchObject({ classes: ['setosa', 'versicolor', 'virginica'], target: 'species', features: FEATURES, preprocessing });
    expect(Value.Errors(WeightsJson, json.body)).toEqual([]);
  });

  it('leave out the names a file does not hold (uploaded weights without labels)', async () => {
    const { classes: _classes, target: _target, features: _features, ...bare } = irisModel(false);
    const upload = await api.http.post('/v1/snapshots').set(api.alice.auth).set('Content-Type', 'application/octet-stream').send(Buffer.from(encodeSafetensors(bare)));
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);
    const json = await api.http.get(`/v1/snapshots/${upload.body.id}/weights?format=json`).set(api.alice.auth);
    expect(Object.keys(json.body).sort()).toEqual(['layers', 'normalization']);
    expect(Value.Check(WeightsJson, json.body)).toBe(true);
  });
});
