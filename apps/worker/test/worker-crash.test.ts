// Promise 1 of issue 5: a worker SIGKILLed mid-training loses nothing. Another worker picks the job up
// (BullMQ stalled-job recovery), resumes from the last checkpoint and ends with weights bit-identical to an
// uninterrupted run; epochs re-run after the checkpoint replace their metric points instead of duplicating.
import type { Activation } from '@trainyard/backprop';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeWeights, sameBits, uninterruptedRun } from './reference-run.ts';
import type { WorkerProcess } from './worker-process.ts';
import { createWorld, type World } from './world.ts';

const EPOCHS = 60;
const LAYERS: { units: number; activation: Activation }[] = [
  { units: 32, activation: 'tanh' }, { units: 32, activation: 'relu' }, { units: 10, activation: 'softmax' },
];
// Epochs of tens of milliseconds: long enough a job (a few seconds) that the kills land mid-training.
const JOB = {
  dataset: 'builtin:mnist',
  layers: LAYERS,
  training: { epochs: EPOCHS, batchSize: 32, optimizer: { type: 'adam' as const, learningRate: 0.001 }, seed: 7 },
  snapshots: { everyEpochs: 5, keep: 2 },
};
// Checkpoints inside epochs too, so a kill can land between two of them; frequent writes.
const WORKER_ENV = { TRAINYARD_CHECKPOINT_INTERVAL_MS: '100', TRAINYARD_PROGRESS_INTERVAL_MS: '100' };

describe('worker killed mid-training', () => {
  let world: World;
  beforeEach(async () => {
    world = await createWorld('crash');
  });
  afterEach(() => world?.close());

  /** Waits until the attempt is past the epoch, SIGKILLs its worker, returns the job as the kill left it. */
  async function killDuringTraining(worker: WorkerProcess, id: string, atEpoch: number, attempts: number) {
    await world.waitForJob(id, `running (attempt ${attempts}) past epoch ${atEpoch}`, (job) => job.attempts === attempts && job.epoch >= atEpoch);
    worker.kill('SIGKILL');
    await worker.exited;
    const job = await world.job(id);
    expect(job.status).toBe('running');
    expect(job.step).toBeLessThan(job.steps);
    return job;
  }

  async function expectResumedAndIdentical(id: string, training: Parameters<typeof uninterruptedRun>[2], attempts: number) {
    const job = await world.waitForJob(id, 'an end', (row) => ['succeeded', 'failed', 'cancelled'].includes(row.status));
    expect(job.errorMessage).toBeNull();
    expect(job.status).toBe('succeeded');
    expect(job.attempts).toBe(attempts);
    const { prisma } = world.db;
    const points = await prisma.metricPoint.findMany({ where: { jobId: id }, orderBy: { step: 'asc' } });
    expect(points.map((p) => p.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
    const final = await prisma.snapshot.findUniqueOrThrow({ where: { id: job.finalSnapshotId! } });
    const reference = await uninterruptedRun(JOB.dataset, LAYERS, training);
    expect(sameBits(decodeWeights(final.weights), reference)).toBe(true);
    expect(await prisma.snapshot.count({ where: { jobId: id, kind: 'periodic' } })).toBe(2);
    expect(await prisma.snapshot.count({ where: { jobId: id, kind: 'best' } })).toBe(1);
  }

  it('resumes on another worker from the checkpoint and ends bit-identical, one metric point per epoch', async () => {
    const { id, training } = await world.submit(JOB);
    const first = await world.spawnWorker(WORKER_ENV);
    await killDuringTraining(first, id, 4, 1);
    const checkpoint = await world.db.prisma.checkpoint.findUniqueOrThrow({ where: { jobId: id } });
    expect(checkpoint.step).toBeGreaterThan(0);

    const second = await world.spawnWorker(WORKER_ENV);
    const started = await second.waitForLog((line) => line.msg === 'training started' && line.jobId === id);
    expect(started.resumedFromStep).toBe(checkpoint.step);
    await expectResumedAndIdentical(id, training, 2);
  });

  it('survives being killed twice in one job', async () => {
    const { id, training } = await world.submit(JOB);
    const first = await world.spawnWorker(WORKER_ENV);
    const firstKill = await killDuringTraining(first, id, 3, 1);
    const second = await world.spawnWorker(WORKER_ENV);
    const secondKill = await killDuringTraining(second, id, firstKill.epoch + 4, 2);
    expect(secondKill.step).toBeGreaterThan(firstKill.step);
    await world.spawnWorker(WORKER_ENV);
    await expectResumedAndIdentical(id, training, 3);
  });

  it('restarts from the beginning when the checkpoint is corrupt, and still ends bit-identical', async () => {
    const { id, training } = await world.submit(JOB);
    const first = await world.spawnWorker(WORKER_ENV);
    await killDuringTraining(first, id, 6, 1);
    const checkpoint = await world.db.prisma.checkpoint.findUniqueOrThrow({ where: { jobId: id } });
    const corrupt = Uint8Array.from(checkpoint.state);
    corrupt[corrupt.length - 1] ^= 0xff;
    await world.db.prisma.checkpoint.update({ where: { jobId: id }, data: { state: corrupt } });

    const second = await world.spawnWorker(WORKER_ENV);
    const started = await second.waitForLog((line) => line.msg === 'training started' && line.jobId === id);
    expect(started.resumedFromStep).toBeNull();
    expect(second.lines.some((line) => String(line.msg).startsWith('checkpoint not usable'))).toBe(true);
    await expectResumedAndIdentical(id, training, 2);
  });
});
