// The product end to end: this API in-process, a real worker process (apps/worker/src/main.ts), real
// PostgreSQL and Redis. Everything goes through HTTP, as a client would.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SavedModel } from '@trainyard/backprop';
import { parseSse, startTestApi, type TestApi } from './harness.ts';
import { binary, REPO_ROOT, startWorker, type TestWorker } from './worker-process.ts';
import { readSafetensors, referenceForward } from './fixtures.ts';

// The iris table as shipped with the engine, read here as plain CSV (the test's own oracle data).
const IRIS_CSV = readFileSync(`${REPO_ROOT}packages/backprop/src/data/builtin/iris.csv`, 'utf8');
const irisRows = IRIS_CSV.trim().split('\n').slice(1).map((line) => line.split(','));
const irisX = irisRows.map((row) => row.slice(0, 4).map(Number));
const irisLabels = irisRows.map((row) => row[4]);
const WAIT = { timeout: 240_000, interval: 200 };
const EPOCHS = 30;

let api: TestApi;
let worker: TestWorker;

beforeAll(async () => {
  api = await startTestApi('e2e');
  worker = startWorker(api);
});

afterAll(async () => {
  await worker?.stop();
  await api?.close();
});


/** The model in a safetensors file, read without the engine. */
function modelFrom(bytes: Buffer): SavedModel {
  const file = readSafetensors(bytes);
  const architecture = JSON.parse(file.metadata.architecture);
  return {
    architecture,
    layers: architecture.layers.map((_: unknown, i: number) => ({
      weight: Float32Array.from(file.tensor(`layers.${i}.weight`).values),
      bias: Float32Array.from(file.tensor(`layers.${i}.bias`).values),
    })),
    normalization: file.metadata.normalization ? JSON.parse(file.metadata.normalization) : null,
    classes: file.metadata.classes ? JSON.parse(file.metadata.classes) : undefined,
  };
}

/** Accuracy and mean cross-entropy of a model over all iris rows, by an independent forward pass. */
function irisScore(model: SavedModel): { accuracy: number; loss: number } {
  let correct = 0;
  let loss = 0;
  irisX.forEach((row, i) => {
    const output = referenceForward(model, row);
    const target = model.classes!.indexOf(irisLabels[i]);
    if (output.indexOf(Math.max(...output)) === target) correct++;
    loss -= Math.log(Math.max(output[target], 1e-7));
  });
  return { accuracy: correct / irisX.length, loss: loss / irisX.length };
}

async function waitForStatus(id: string, statuses: string[]) {
  let job: { status: string } = { status: '' };
  await vi.waitFor(async () => {
    job = (await api.http.get(`/v1/jobs/${id}`).set(api.alice.auth)).body;
    if (!statuses.includes(job.status)) throw new Error(`job ${id} is ${job.status}, waiting for ${statuses.join('|')}\n${worker.log().slice(-2000)}`);
  }, WAIT);
  return job;
}

describe('a client trains iris through the API', () => {
  let jobId: string;
  let streamed: ReturnType<typeof parseSse>;

  it('uploads the table, submits, follows the SSE stream to the end', async () => {
    const dataset = await api.http
      .post('/v1/datasets')
      .set(api.alice.auth)
      .field('target', 'species')
      .field('task', 'classification')
      .attach('file', Buffer.from(IRIS_CSV), 'iris.csv');
    expect(dataset.status).toBe(201);
    // Full-batch steps and no validation split: the accuracy reported for epoch k+1 is measured on all rows
    // with the weights that ended epoch k, which the periodic snapshot of epoch k holds.
    const submitted = await api.http.post('/v1/jobs').set(api.alice.auth).send({
      dataset: dataset.body.id,
      model: { layers: [{ units: 8, activation: 'tanh' }, { units: 3, activation: 'softmax' }] },
      training: { epochs: EPOCHS, batchSize: 150, validationSplit: 0, optimizer: { type: 'adam', learningRate: 0.05 }, seed: 3 },
      snapshots: { everyEpochs: 1, keep: EPOCHS },
    });
    expect(submitted.status).toBe(202);
    jobId = submitted.body.id;

    const stream = await api.http.get(`/v1/jobs/${jobId}/events`).set(api.alice.auth).timeout(WAIT.timeout);
    expect(stream.status).toBe(200);
    streamed = parseSse(stream.text);
    const statuses = streamed.filter((e) => e.event === 'status').map((e) => (e.data as { status: string }).status);
    expect(statuses, `${JSON.stringify(streamed[streamed.length - 1].data)}\n${worker.log().slice(-3000)}`).toEqual(['queued', 'running', 'succeeded']);
    const epochs = streamed.filter((e) => e.event === 'metrics').map((e) => (e.data as { epoch: number }).epoch);
    expect(epochs).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
    const progress = streamed.filter((e) => e.event === 'progress').map((e) => (e.data as { epoch: number }).epoch);
    expect(progress.filter((epoch, i) => i > 0 && epoch < progress[i - 1])).toEqual([]);
    expect(progress[progress.length - 1]).toBe(EPOCHS);
    expect(streamed.some((e) => e.event === 'snapshot')).toBe(true);
    const ids = streamed.map((e) => BigInt(e.id!));
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1])).toBe(true);
    expect(streamed[streamed.length - 1].event).toBe('status');
  });

  it('resumes the stream after Last-Event-ID', async () => {
    const cut = Math.floor(streamed.length / 2);
    const resumed = await api.http.get(`/v1/jobs/${jobId}/events`).set(api.alice.auth).set('Last-Event-ID', streamed[cut].id!);
    expect(parseSse(resumed.text)).toEqual(streamed.slice(cut + 1));
  });

  it('reports the accuracy that its downloaded weights give, evaluated without the engine', async () => {
    const job = (await api.http.get(`/v1/jobs/${jobId}`).set(api.alice.auth)).body;
    expect(job).toMatchObject({ status: 'succeeded', progress: { epoch: EPOCHS, fraction: 1 }, backend: expect.any(String) });
    const points = (await api.http.get(`/v1/jobs/${jobId}/metrics`).set(api.alice.auth)).body.data as { epoch: number; accuracy: number; loss: number }[];
    expect(points.map((point) => point.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
    const snapshots = (await api.http.get(`/v1/jobs/${jobId}/snapshots?limit=100`).set(api.alice.auth)).body.data as { id: string; kind: string; epoch: number }[];
    const periodic = snapshots.filter((snapshot) => snapshot.kind === 'periodic');
    expect(periodic.length).toBeGreaterThanOrEqual(EPOCHS - 1);
    let checked = 0;
    for (const snapshot of periodic.filter((s) => s.epoch < EPOCHS)) {
      const bytes = await binary(api.http.get(`/v1/snapshots/${snapshot.id}/weights`).set(api.alice.auth));
      const score = irisScore(modelFrom(bytes.body));
      const next = points[snapshot.epoch]; // the metrics of epoch snapshot.epoch + 1
      expect(score.accuracy, `epoch ${snapshot.epoch}`).toBe(next.accuracy);
      expect(Math.abs(score.loss - next.loss), `epoch ${snapshot.epoch}`).toBeLessThan(1e-4);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(EPOCHS - 2);
    // Training worked: the final weights beat chance by far.
    const final = await binary(api.http.get(`/v1/jobs/${jobId}/weights`).set(api.alice.auth));
    expect(irisScore(modelFrom(final.body)).accuracy).toBeGreaterThan(0.9);
  });

  it('predicts with the trained model and its normalisation', async () => {
    const final = modelFrom((await binary(api.http.get(`/v1/jobs/${jobId}/weights`).set(api.alice.auth))).body);
    const response = await api.http.post(`/v1/jobs/${jobId}/predict`).set(api.alice.auth).send({ inputs: irisX });
    expect(response.status).toBe(200);
    response.body.outputs.forEach((output: number[], i: number) => {
      const expected = referenceForward(final, irisX[i]);
      output.forEach((value, j) => expect(Math.abs(value - expected[j])).toBeLessThan(1e-5));
    });
    const right = response.body.labels.filter((label: string, i: number) => label === irisLabels[i]).length;
    expect(right / irisX.length).toBe(irisScore(final).accuracy);
  });

  it('starts a job from those weights (initialWeights)', async () => {
    const job = (await api.http.get(`/v1/jobs/${jobId}`).set(api.alice.auth)).body;
    const dataset = job.dataset;
    const start = modelFrom((await binary(api.http.get(`/v1/snapshots/${job.finalSnapshot}/weights`).set(api.alice.auth))).body);
    const submitted = await api.http.post('/v1/jobs').set(api.alice.auth).send({
      dataset,
      model: job.model,
      initialWeights: job.finalSnapshot,
      training: { epochs: 2, batchSize: 150, validationSplit: 0, seed: 3 },
    });
    expect(submitted.status).toBe(202);
    await waitForStatus(submitted.body.id, ['succeeded']);
    const points = (await api.http.get(`/v1/jobs/${submitted.body.id}/metrics`).set(api.alice.auth)).body.data;
    // Epoch 1's full-batch forward pass ran on the initial weights (same data ⇒ same normalisation).
    expect(points[0].accuracy).toBe(irisScore(start).accuracy);
  });
});

describe('cancelling a running job', () => {
  it('stops it, keeps its snapshots and ends it cancelled', async () => {
    const submitted = await api.http.post('/v1/jobs').set(api.alice.auth).send({
      dataset: 'builtin:mnist',
      model: { layers: [{ units: 32, activation: 'relu' }, { units: 10, activation: 'softmax' }] },
      training: { epochs: 500, batchSize: 64 }, // ~10 s of training: still running when cancelled
      snapshots: { everyEpochs: 1, keep: 3 },
    });
    expect(submitted.status).toBe(202);
    const id = submitted.body.id;
    await vi.waitFor(async () => {
      const job = (await api.http.get(`/v1/jobs/${id}`).set(api.alice.auth)).body;
      if (job.status !== 'running' || job.progress.epoch < 1) throw new Error(`job is ${job.status} at epoch ${job.progress.epoch}`);
    }, WAIT);
    const cancel = await api.http.post(`/v1/jobs/${id}/cancel`).set(api.alice.auth);
    expect(cancel.status).toBe(202);
    const ended = await waitForStatus(id, ['cancelled', 'succeeded', 'failed']);
    expect(ended.status).toBe('cancelled');
    const job = (await api.http.get(`/v1/jobs/${id}`).set(api.alice.auth)).body;
    expect(job.progress.epoch).toBeLessThan(500);
    const snapshots = (await api.http.get(`/v1/jobs/${id}/snapshots`).set(api.alice.auth)).body.data;
    expect(snapshots.length).toBeGreaterThan(0);
    const events = parseSse((await api.http.get(`/v1/jobs/${id}/events`).set(api.alice.auth)).text);
    expect(events[events.length - 1]).toMatchObject({ event: 'status', data: { status: 'cancelled' } });
  });
});
