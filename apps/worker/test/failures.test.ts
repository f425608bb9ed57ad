// Jobs that cannot succeed end `failed` with a catalogue code and a reason, are not retried, and leave the
// worker ready for the next job: a diverging loss (`diverged`), a spec the worker's re-validation rejects
// (`invalid_spec`), a dataset that is gone (`dataset_missing`).
import { randomBytes } from 'node:crypto';
import type { Activation } from '@trainyard/backprop';
import { newId } from '@trainyard/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from './world.ts';

const ended = (status: string) => ['succeeded', 'failed', 'cancelled'].includes(status);
const IRIS_LAYERS: { units: number; activation: Activation }[] = [{ units: 4, activation: 'relu' }, { units: 3, activation: 'softmax' }];

/** Float32 little-endian bytes, as the API stores dataset arrays. */
const float32Bytes = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);

describe('jobs that fail', () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld('failures');
    await world.spawnWorker();
  });
  afterAll(() => world?.close());

  async function failure(id: string) {
    const job = await world.waitForJob(id, 'an end', (row) => ended(row.status));
    expect(job.status).toBe('failed');
    const last = await world.db.prisma.jobEvent.findFirstOrThrow({ where: { jobId: id }, orderBy: { id: 'desc' } });
    expect(last.data).toMatchObject({ status: 'failed', error: { code: job.errorCode, message: job.errorMessage } });
    // Not retried: BullMQ records one attempt and a failure (right after PostgreSQL does).
    await world.waitFor('the queue entry to fail', async () => (await world.queue.state(id)) === 'failed');
    expect((await world.queue.bull.getJob(id))!.attemptsMade).toBe(1);
    return job;
  }

  it('fails a job whose loss becomes infinite with `diverged`', async () => {
    // Regression on huge raw targets with a huge learning rate: the loss overflows within a few steps.
    const rows = 64;
    const x = Array.from({ length: rows }, (_, r) => r * 1e3);
    const y = x.map((value) => value * 1e6);
    const datasetId = newId('dataset');
    await world.db.prisma.dataset.create({
      data: {
        id: datasetId, tenantId: world.tenantId, name: 'explodes', task: 'regression', target: 'y', features: ['x'], rows,
        sizeBytes: rows * 8, sha256: randomBytes(32).toString('hex'), format: 'csv',
        x: float32Bytes(x), y: float32Bytes(y), original: new Uint8Array(0),
      },
    });
    const { id } = await world.submit({
      dataset: datasetId, task: 'regression', inputSize: 1,
      layers: [{ units: 1, activation: 'linear' }],
      training: { epochs: 50, batchSize: 8, optimizer: { type: 'sgd', learningRate: 10 }, normalize: false },
    });
    const job = await failure(id);
    expect(job.errorCode).toBe('diverged');
    expect(job.errorMessage).toBeTruthy();
  });

  it('re-validates what it dequeues: a spec the engine rejects fails with `invalid_spec` and never starts', async () => {
    const { id } = await world.submit({ dataset: 'builtin:iris', layers: IRIS_LAYERS }, { enqueue: false });
    const stored = (await world.job(id)).spec as { model: { layers: unknown[] } };
    // Written behind the API's back: 2 output units for iris' 3 classes.
    await world.db.prisma.job.update({
      where: { id },
      data: { spec: { ...stored, model: { ...stored.model, layers: [{ units: 4, activation: 'relu' }, { units: 2, activation: 'softmax' }] } } },
    });
    await world.queue.enqueue(id);
    const job = await failure(id);
    expect(job.errorCode).toBe('invalid_spec');
    expect(job.errorMessage).toMatch(/model\.layers/);
    expect(job.startedAt).toBeNull();
  });

  it('fails a spec that is not even the stored shape with `invalid_spec`', async () => {
    const { id } = await world.submit({ dataset: 'builtin:iris', layers: IRIS_LAYERS }, { enqueue: false });
    await world.db.prisma.job.update({ where: { id }, data: { spec: { model: 'nonsense' } } });
    await world.queue.enqueue(id);
    expect((await failure(id)).errorCode).toBe('invalid_spec');
  });

  it('fails a job whose dataset is gone with `dataset_missing`', async () => {
    const { id } = await world.submit({ dataset: 'ds_deleted', task: 'classification', inputSize: 4, layers: IRIS_LAYERS });
    expect((await failure(id)).errorCode).toBe('dataset_missing');
  });

  it('fails a job that was started TRAINYARD_MAX_JOB_ATTEMPTS times (it keeps killing its workers) with `internal`', async () => {
    const { id } = await world.submit({ dataset: 'builtin:iris', layers: IRIS_LAYERS }, { enqueue: false });
    // As a job whose worker died in each of its 10 (the default) starts leaves it.
    await world.db.prisma.job.update({ where: { id }, data: { status: 'running', attempts: 10 } });
    await world.queue.enqueue(id);
    const job = await failure(id);
    expect(job.errorCode).toBe('internal');
    expect(job.errorMessage).toMatch(/started 10 times/);
  });

  it('never silently drops a queue entry that has no job row: it is put back (delayed) and counted, and nothing is written', async () => {
    // Another deployment's job on a shared queue, or a deleted one; test/shared-redis.test.ts has the rest.
    await world.queue.enqueue('job_without_a_row');
    await world.waitFor('the entry to be put back', async () => (await world.queue.state('job_without_a_row')) === 'delayed');
    expect(await world.db.prisma.jobEvent.count({ where: { jobId: 'job_without_a_row' } })).toBe(0);
    expect(await world.queue.recordUnknownJob()).toBeGreaterThan(1); // the worker counted it first
    await world.queue.remove('job_without_a_row');
  });

  it('keeps serving after failures', async () => {
    const { id } = await world.submit({ dataset: 'builtin:iris', layers: IRIS_LAYERS, training: { epochs: 2 } });
    expect((await world.waitForJob(id, 'an end', (row) => ended(row.status))).status).toBe('succeeded');
  });
});
