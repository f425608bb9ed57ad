import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { encodeSafetensors } from '@trainyard/backprop';
import { startTestApi, type TestApi } from './harness.ts';
import { finishJob, IRIS_JOB, irisModel, readSafetensors, referenceForward } from './fixtures.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi('weights');
});
afterAll(async () => api?.close());

const binary = (request: supertest.Test) =>
  request.buffer(true).parse((response, done) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => done(null, Buffer.concat(chunks)));
  });

async function uploadWeights(model = irisModel(), auth = api.alice.auth) {
  const response = await api.http.post('/v1/snapshots').set(auth).set('Content-Type', 'application/octet-stream').send(Buffer.from(encodeSafetensors(model)));
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function finishedJob() {
  const job = await api.http.post('/v1/jobs').set(api.alice.auth).send(IRIS_JOB);
  expect(job.status).toBe(202);
  return { id: job.body.id as string, ...(await finishJob(api.prisma, job.body.id)) };
}

describe('POST /v1/snapshots', () => {
  it('stores safetensors sent as the raw body: 201, kind uploaded, no job', async () => {
    const bytes = encodeSafetensors(irisModel());
    const snapshot = await uploadWeights();
    expect(snapshot).toEqual({ id: expect.stringMatching(/^snap_/), jobId: null, epoch: 0, step: 0, metrics: null, sizeBytes: bytes.length, createdAt: expect.any(String), kind: 'uploaded' });
    expect((await api.http.get(`/v1/snapshots/${snapshot.id}`).set(api.alice.auth)).body).toEqual(snapshot);
  });

  it('stores safetensors sent as a multipart file', async () => {
    const response = await api.http.post('/v1/snapshots').set(api.alice.auth).attach('file', Buffer.from(encodeSafetensors(irisModel())), 'model.safetensors');
    expect(response.status).toBe(201);
    expect(response.body.kind).toBe('uploaded');
  });

  it('answers 400 malformed_weights with the reason for files that are not weights', async () => {
    for (const body of [Buffer.from('definitely not safetensors'), Buffer.alloc(16, 0xff), Buffer.alloc(0)]) {
      const response = await api.http.post('/v1/snapshots').set(api.alice.auth).set('Content-Type', 'application/octet-stream').send(body);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('malformed_weights');
      expect(response.body.error.message.length).toBeGreaterThan(10);
    }
    const json = await api.http.post('/v1/snapshots').set(api.alice.auth).send({ layers: [] });
    expect(json.status).toBe(415);
  });
});

describe('downloading weights', () => {
  it('GET /v1/snapshots/:id/weights answers the safetensors layout of the contract', async () => {
    const model = irisModel();
    const snapshot = await uploadWeights(model);
    const response = await binary(api.http.get(`/v1/snapshots/${snapshot.id}/weights`).set(api.alice.auth));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    const file = readSafetensors(response.body);
    model.layers.forEach((layer, i) => {
      const weight = file.tensor(`layers.${i}.weight`);
      expect(weight.dtype).toBe('F32');
      expect(weight.shape).toEqual([layer.bias.length, layer.weight.length / layer.bias.length]);
      expect(weight.values).toEqual(Array.from(layer.weight));
      expect(file.tensor(`layers.${i}.bias`).values).toEqual(Array.from(layer.bias));
    });
    expect(JSON.parse(file.metadata.architecture)).toEqual(model.architecture);
    expect(JSON.parse(file.metadata.normalization)).toEqual(model.normalization);
  });

  it('?format=json answers rows of weights, biases, activations and the normalisation', async () => {
    const model = irisModel();
    const snapshot = await uploadWeights(model);
    const response = await api.http.get(`/v1/snapshots/${snapshot.id}/weights?format=json`).set(api.alice.auth);
    expect(response.status).toBe(200);
    expect(response.body.normalization).toEqual(model.normalization);
    expect(response.body.layers.map((layer: { activation: string }) => layer.activation)).toEqual(['relu', 'softmax']);
    const first = response.body.layers[0];
    expect(first.weight).toHaveLength(3);
    expect(first.weight[1]).toEqual(Array.from(model.layers[0].weight.subarray(4, 8)));
    expect(first.bias).toEqual(Array.from(model.layers[0].bias));
  });

  it('GET /v1/jobs/:id/weights answers the final weights, or the best with ?which=best; 409 before there are any', async () => {
    const job = await finishedJob();
    const final = await binary(api.http.get(`/v1/jobs/${job.id}/weights`).set(api.alice.auth));
    const stored = await api.prisma.snapshot.findUniqueOrThrow({ where: { id: job.finalSnapshotId } });
    expect(final.status).toBe(200);
    expect(Buffer.compare(final.body, Buffer.from(stored.weights))).toBe(0);
    const best = await api.http.get(`/v1/jobs/${job.id}/weights?which=best&format=json`).set(api.alice.auth);
    expect(best.status).toBe(200);
    expect(best.body.layers).toHaveLength(2);

    const queued = await api.http.post('/v1/jobs').set(api.alice.auth).send(IRIS_JOB);
    const early = await api.http.get(`/v1/jobs/${queued.body.id}/weights`).set(api.alice.auth);
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain('queued');
    expect((await api.http.get('/v1/snapshots/snap_nope/weights').set(api.alice.auth)).status).toBe(404);
  });
});

describe('POST /v1/jobs/:id/predict', () => {
  const rows = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 2.8, 4.3, 1.3]];

  it('answers the outputs of the final weights with the job\'s normalisation, and the labels', async () => {
    const job = await finishedJob();
    const response = await api.http.post(`/v1/jobs/${job.id}/predict`).set(api.alice.auth).send({ inputs: rows });
    expect(response.status).toBe(200);
    const model = irisModel();
    const expected = rows.map((row) => referenceForward(model, row));
    response.body.outputs.forEach((output: number[], i: number) => {
      output.forEach((value, j) => expect(value).toBeCloseTo(expected[i][j], 5));
    });
    const classes = model.classes!;
    expect(response.body.labels).toEqual(expected.map((output) => classes[output.indexOf(Math.max(...output))]));
    expect(response.body.snapshot).toBe(job.finalSnapshotId);
  });

  it('uses another snapshot of the job with ?snapshot=, and 404 for one that is not the job\'s', async () => {
    const job = await finishedJob();
    const periodic = await api.http.post(`/v1/jobs/${job.id}/predict?snapshot=${job.periodicSnapshotId}`).set(api.alice.auth).send({ inputs: rows });
    expect(periodic.status).toBe(200);
    expect(periodic.body.snapshot).toBe(job.periodicSnapshotId);
    const uploaded = await uploadWeights();
    expect((await api.http.post(`/v1/jobs/${job.id}/predict?snapshot=${uploaded.id}`).set(api.alice.auth).send({ inputs: rows })).status).toBe(404);
  });

  it('answers 422 invalid_input naming the rows of the wrong width, 400 for values that are not numbers', async () => {
    const job = await finishedJob();
    const wrong = await api.http.post(`/v1/jobs/${job.id}/predict`).set(api.alice.auth).send({ inputs: [[1, 2, 3, 4], [1, 2, 3]] });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('invalid_input');
    expect(wrong.body.error.details).toEqual([{ path: 'inputs[1]', message: 'has 3 values; the model takes 4' }]);
    const text = await api.http.post(`/v1/jobs/${job.id}/predict`).set(api.alice.auth).send({ inputs: [[1, 2, 'x', 4]] });
    expect(text.status).toBe(400);
    expect(text.body.error.details[0].path).toBe('inputs[0][2]');
    const empty = await api.http.post(`/v1/jobs/${job.id}/predict`).set(api.alice.auth).send({ inputs: [] });
    expect(empty.status).toBe(400);
  });

  it('answers 422 above TRAINYARD_MAX_PREDICT_ROWS and 409 for a job without final weights', async () => {
    const job = await finishedJob();
    const limited = supertest((await api.buildAnother({ limits: { ...api.config.limits, maxPredictRows: 2 } })).server);
    const response = await limited.post(`/v1/jobs/${job.id}/predict`).set(api.alice.auth).send({ inputs: rows });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('limit_exceeded');
    const queued = await api.http.post('/v1/jobs').set(api.alice.auth).send(IRIS_JOB);
    expect((await api.http.post(`/v1/jobs/${queued.body.id}/predict`).set(api.alice.auth).send({ inputs: rows })).status).toBe(409);
  });
});

describe('initialWeights', () => {
  it('accepts a snapshot whose shapes fit the model', async () => {
    const snapshot = await uploadWeights();
    const response = await api.http.post('/v1/jobs').set(api.alice.auth).send({ ...IRIS_JOB, initialWeights: snapshot.id });
    expect(response.status).toBe(202);
    expect(response.body.initialWeights).toBe(snapshot.id);
  });

  it('answers 422 when the shapes do not fit, naming the layer', async () => {
    const snapshot = await uploadWeights();
    const response = await api.http.post('/v1/jobs').set(api.alice.auth).send({
      dataset: 'builtin:iris',
      initialWeights: snapshot.id,
      model: { layers: [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
    });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('invalid_spec');
    expect(response.body.error.details).toContainEqual({ path: 'model.layers[0]', message: 'layer 0 weights are 3×4, the model needs 16×4' });
  });

  it('answers 422 for a snapshot the tenant does not have', async () => {
    const bobs = await uploadWeights(irisModel(), api.bob.auth);
    for (const id of ['snap_nope', bobs.id]) {
      const response = await api.http.post('/v1/jobs').set(api.alice.auth).send({ ...IRIS_JOB, initialWeights: id });
      expect(response.status).toBe(422);
      expect(response.body.error.details).toEqual([{ path: 'initialWeights', message: expect.any(String) }]);
    }
  });
});
