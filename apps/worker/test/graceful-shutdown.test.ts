// Promise 2 of issue 5: SIGTERM checkpoints the running job at the next step boundary, hands it back to the
// queue and exits cleanly (exit code 0: the shutdown timer, which exits 1, never fired); another worker
// finishes the job, bit-identical to an uninterrupted run.
import type { Activation } from '@trainyard/backprop';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeWeights, sameBits, uninterruptedRun } from './reference-run.ts';
import { createWorld, type World } from './world.ts';

const EPOCHS = 60;
const LAYERS: { units: number; activation: Activation }[] = [{ units: 32, activation: 'relu' }, { units: 10, activation: 'softmax' }];
// Epochs of tens of milliseconds: the SIGTERM lands mid-training.
const JOB = {
  dataset: 'builtin:mnist',
  layers: LAYERS,
  training: { epochs: EPOCHS, batchSize: 32, optimizer: { type: 'sgd' as const, learningRate: 0.005, momentum: 0.9 }, seed: 3 },
};

describe('graceful shutdown', () => {
  let world: World;
  beforeEach(async () => {
    world = await createWorld('shutdown');
  });
  afterEach(() => world?.close());

  it('hands a running job back on SIGTERM; another worker finishes it bit-identically', async () => {
    const { id, training } = await world.submit(JOB);
    const first = await world.spawnWorker({ TRAINYARD_PROGRESS_INTERVAL_MS: '100' });
    await world.waitForJob(id, 'past epoch 3', (job) => job.epoch >= 3);
    first.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(first.lines.some((line) => line.msg === 'job handed back to the queue' && line.jobId === id)).toBe(true);

    const handedBack = await world.job(id);
    expect(handedBack.status).toBe('queued');
    expect(handedBack.step).toBeLessThan(handedBack.steps);
    const checkpoint = await world.db.prisma.checkpoint.findUniqueOrThrow({ where: { jobId: id } });
    expect(checkpoint.step).toBe(handedBack.step);
    expect(await world.queue.state(id)).toBe('waiting');
    const statuses = await world.db.prisma.jobEvent.findMany({ where: { jobId: id, type: 'status' }, orderBy: { id: 'asc' } });
    expect(statuses.map((e) => (e.data as { status: string }).status)).toEqual(['running', 'queued']);

    const second = await world.spawnWorker();
    const started = await second.waitForLog((line) => line.msg === 'training started' && line.jobId === id);
    expect(started.resumedFromStep).toBe(checkpoint.step);
    const job = await world.waitForJob(id, 'an end', (row) => ['succeeded', 'failed', 'cancelled'].includes(row.status));
    expect(job.errorMessage).toBeNull();
    expect(job.status).toBe('succeeded');
    const points = await world.db.prisma.metricPoint.findMany({ where: { jobId: id }, orderBy: { step: 'asc' } });
    expect(points.map((p) => p.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
    const final = await world.db.prisma.snapshot.findUniqueOrThrow({ where: { id: job.finalSnapshotId! } });
    expect(sameBits(decodeWeights(final.weights), await uninterruptedRun(JOB.dataset, LAYERS, training))).toBe(true);
  });

  it('exits cleanly on SIGTERM and SIGINT when idle, and a second signal changes nothing', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const worker = await world.spawnWorker();
      worker.kill(signal);
      worker.kill(signal);
      expect(await worker.exited).toEqual({ code: 0, signal: null });
      expect(worker.lines.some((line) => line.msg === 'worker stopped')).toBe(true);
    }
  });
});
