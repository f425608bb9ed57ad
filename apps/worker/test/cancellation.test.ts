// Cancel (service plan): the API sets cancelRequested and publishes the id on `trainyard:cancel`; the worker
// holding the job stops at its next step and ends it `cancelled`, keeping its snapshots. Without the
// message (lost pub/sub) the flag alone stops it at the next epoch end; a queued job never starts.
import type { Activation } from '@trainyard/backprop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerProcess } from './worker-process.ts';
import { createWorld, type World } from './world.ts';

const LONG_JOB = {
  dataset: 'builtin:mnist',
  layers: [{ units: 32, activation: 'relu' }, { units: 10, activation: 'softmax' }] as { units: number; activation: Activation }[],
  training: { epochs: 2000, batchSize: 32 },
  snapshots: { everyEpochs: 1, keep: 2 },
};
const ended = (status: string) => ['succeeded', 'failed', 'cancelled'].includes(status);

describe('cancellation', () => {
  let world: World;
  let worker: WorkerProcess;
  beforeAll(async () => {
    world = await createWorld('cancel');
    worker = await world.spawnWorker();
  });
  afterAll(() => world?.close());

  it('stops a running job on a cancel request, keeps its snapshots, and the worker carries on', async () => {
    const { id } = await world.submit(LONG_JOB);
    await world.waitForJob(id, 'past epoch 2', (job) => job.epoch >= 2);
    await world.db.prisma.job.update({ where: { id }, data: { cancelRequested: true } });
    await world.queue.requestCancel(id);
    const job = await world.waitForJob(id, 'an end', (row) => ended(row.status));
    expect(job.status).toBe('cancelled');
    expect(job.step).toBeLessThan(job.steps);
    expect(job.finishedAt).not.toBeNull();
    expect(job.finalSnapshotId).toBeNull();
    expect(worker.lines.some((line) => line.msg === 'cancel requested; stopping at the next step' && line.jobId === id)).toBe(true);

    const { prisma } = world.db;
    const kinds = (await prisma.snapshot.findMany({ where: { jobId: id }, select: { kind: true } })).map((s) => s.kind).sort();
    expect(kinds).toEqual(['best', 'periodic', 'periodic']);
    expect(await prisma.checkpoint.count({ where: { jobId: id } })).toBe(0);
    const last = await prisma.jobEvent.findFirstOrThrow({ where: { jobId: id }, orderBy: { id: 'desc' } });
    expect(last.data).toMatchObject({ status: 'cancelled', error: null });

    const next = await world.submit({ ...LONG_JOB, training: { epochs: 2, batchSize: 32 } });
    expect((await world.waitForJob(next.id, 'an end', (row) => ended(row.status))).status).toBe('succeeded');
  });

  it('stops at the next epoch end from the database flag alone when the message is lost', async () => {
    const { id } = await world.submit(LONG_JOB);
    await world.waitForJob(id, 'past epoch 2', (job) => job.epoch >= 2);
    await world.db.prisma.job.update({ where: { id }, data: { cancelRequested: true } });
    const job = await world.waitForJob(id, 'an end', (row) => ended(row.status));
    expect(job.status).toBe('cancelled');
    expect(job.step).toBeLessThan(job.steps);
  });

  it('never starts a queued job whose cancel was requested', async () => {
    const { id } = await world.submit(LONG_JOB, { enqueue: false });
    await world.db.prisma.job.update({ where: { id }, data: { cancelRequested: true } });
    await world.queue.enqueue(id);
    const job = await world.waitForJob(id, 'an end', (row) => ended(row.status));
    expect(job.status).toBe('cancelled');
    expect(job.startedAt).toBeNull();
    expect(job.attempts).toBe(0);
    expect(await world.db.prisma.metricPoint.count({ where: { jobId: id } })).toBe(0);
  });
});
