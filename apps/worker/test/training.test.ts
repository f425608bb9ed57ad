// A job from queue to `succeeded` through a real worker process: progress, metric points, events in order,
// snapshots whose weights, read and evaluated independently of the engine, give the accuracy reported.
import { loadBuiltin } from '@trainyard/backprop';
import { QueueSubscriber } from '@trainyard/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Not part of the engine's public surface: the held-out rows are needed to evaluate on the same rows.
import { splitRows } from '@trainyard/tabular';
import { accuracy, crossEntropy, readSafetensors } from './reference-model.ts';
import type { WorkerProcess } from './worker-process.ts';
import { createWorld, REDIS_URL, type World } from './world.ts';

const EPOCHS = 12;

describe('training a job end to end', () => {
  let world: World;
  let worker: WorkerProcess;
  beforeAll(async () => {
    world = await createWorld('training');
    worker = await world.spawnWorker();
  });
  afterAll(() => world?.close());

  it('trains builtin:iris to succeeded with one metric point per epoch, ordered events and snapshots', async () => {
    const { id, training } = await world.submit({
      dataset: 'builtin:iris',
      layers: [{ units: 8, activation: 'relu' }, { units: 3, activation: 'softmax' }],
      training: { epochs: EPOCHS, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.02 } },
      snapshots: { everyEpochs: 2, keep: 3 },
    }, { enqueue: false });
    // SSE streams wake on `trainyard:events:<jobId>`: every event row must be announced, in order.
    const announcedIds: string[] = [];
    const subscriber = new QueueSubscriber(REDIS_URL);
    await subscriber.onJobEvent(id, (eventId) => announcedIds.push(eventId));
    await world.queue.enqueue(id);
    const job = await world.waitForJob(id, 'an end', (row) => ['succeeded', 'failed', 'cancelled'].includes(row.status));
    expect(job.errorMessage).toBeNull();
    expect(job.status).toBe('succeeded');
    expect(job.attempts).toBe(1);
    expect(job.epoch).toBe(EPOCHS);
    expect(job.step).toBe(job.steps);
    expect(job.backend).toBeTruthy();
    expect(job.finishedAt).not.toBeNull();
    const { prisma } = world.db;
    expect(await prisma.checkpoint.count({ where: { jobId: id } })).toBe(0);

    // One point per epoch, at the epoch's last step; the job's metrics are the last epoch's.
    const points = await prisma.metricPoint.findMany({ where: { jobId: id }, orderBy: { step: 'asc' } });
    const stepsPerEpoch = job.steps / EPOCHS;
    expect(points.map((p) => p.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
    expect(points.map((p) => p.step)).toEqual(points.map((p) => p.epoch * stepsPerEpoch));
    const last = points[points.length - 1];
    expect(job.metrics).toMatchObject({ loss: last.loss, accuracy: last.accuracy, valLoss: last.valLoss, valAccuracy: last.valAccuracy });

    // Events: running first, then per epoch progress and metrics in epoch order, snapshots, succeeded last.
    const events = await prisma.jobEvent.findMany({ where: { jobId: id }, orderBy: { id: 'asc' } });
    const data = (i: number) => events[i].data as Record<string, unknown>;
    expect(events[0].type).toBe('status');
    expect(data(0).status).toBe('running');
    expect(events.at(-1)!.type).toBe('status');
    expect((events.at(-1)!.data as Record<string, unknown>).status).toBe('succeeded');
    const metricEpochs = events.filter((e) => e.type === 'metrics').map((e) => (e.data as { epoch: number }).epoch);
    expect(metricEpochs).toEqual(points.map((p) => p.epoch));
    const progressSteps = events.filter((e) => e.type === 'progress').map((e) => (e.data as { step: number }).step);
    expect(progressSteps).toEqual([...progressSteps].sort((a, b) => a - b));
    expect(events.filter((e) => e.type === 'status')).toHaveLength(2);
    for (let i = 1; i < events.length; i++) expect(events[i].id > events[i - 1].id).toBe(true);
    // One wake-up a write, naming its newest event; the last names the last event.
    await world.waitFor('the last event announced', async () => announcedIds.at(-1) === String(events.at(-1)!.id));
    await subscriber.close();
    const ids = events.map((e) => String(e.id));
    expect(announcedIds.every((announced) => ids.includes(announced))).toBe(true);
    expect(announcedIds.map(BigInt)).toEqual([...announcedIds.map(BigInt)].sort((a, b) => (a < b ? -1 : 1)));

    // Snapshots: the last `keep` periodic ones, one best, one final; each announced by an event.
    const snapshots = await prisma.snapshot.findMany({ where: { jobId: id }, orderBy: { step: 'asc' } });
    const periodic = snapshots.filter((s) => s.kind === 'periodic');
    expect(periodic.map((s) => s.epoch)).toEqual([8, 10, 12]);
    const best = snapshots.filter((s) => s.kind === 'best');
    const final = snapshots.filter((s) => s.kind === 'final');
    expect(best).toHaveLength(1);
    expect(final).toHaveLength(1);
    expect(job.bestSnapshotId).toBe(best[0].id);
    expect(job.finalSnapshotId).toBe(final[0].id);
    const announced = events.filter((e) => e.type === 'snapshot').map((e) => (e.data as { id: string }).id);
    for (const snapshot of snapshots) expect(announced).toContain(snapshot.id);
    expect(final[0].sizeBytes).toBe(final[0].weights.byteLength);

    // The final weights, read by an independent parser and run by an independent float64 forward pass, give
    // the validation accuracy and loss the job reports; so do the best snapshot's weights for its epoch.
    // Which rows are held out is the documented split (stratified by class, seeded), taken from it.
    const iris = loadBuiltin('iris');
    const { validation } = splitRows({ rows: iris.rows, classes: iris.y, testSplit: 0, validationSplit: training.validationSplit, seed: training.seed });
    expect(validation.length).toBeGreaterThan(0);
    const metrics = job.metrics as { valAccuracy: number; valLoss: number };
    const model = readSafetensors(final[0].weights);
    expect(model.layers.map((l) => [l.out, l.in])).toEqual([[8, 4], [3, 8]]);
    expect(Math.abs(accuracy(model, iris.x, iris.y, validation, 4) - metrics.valAccuracy)).toBeLessThanOrEqual(1 / validation.length);
    expect(crossEntropy(model, iris.x, iris.y, validation, 4)).toBeCloseTo(metrics.valLoss, 3);
    expect(metrics.valAccuracy).toBeGreaterThan(0.6);

    const bestPoint = points.find((p) => p.step === best[0].step)!;
    const bestModel = readSafetensors(best[0].weights);
    expect(Math.abs(accuracy(bestModel, iris.x, iris.y, validation, 4) - bestPoint.valAccuracy!)).toBeLessThanOrEqual(1 / validation.length);
    expect(crossEntropy(bestModel, iris.x, iris.y, validation, 4)).toBeCloseTo(bestPoint.valLoss!, 3);
    expect(bestPoint.valLoss).toBe(Math.min(...points.map((p) => p.valLoss!)));
  });

  it('also records a point every metricsEverySteps steps, the epoch point winning where they meet', async () => {
    const { id } = await world.submit({
      dataset: 'builtin:iris',
      layers: [{ units: 8, activation: 'relu' }, { units: 3, activation: 'softmax' }],
      training: { epochs: 3, batchSize: 16, metricsEverySteps: 3 },
    });
    const job = await world.waitForJob(id, 'an end', (row) => row.finishedAt !== null);
    expect(job.status).toBe('succeeded');
    const stepsPerEpoch = job.steps / 3;
    const epochEnds = [1, 2, 3].map((epoch) => epoch * stepsPerEpoch);
    const everyThird = Array.from({ length: Math.floor(job.steps / 3) }, (_, i) => (i + 1) * 3);
    const points = await world.db.prisma.metricPoint.findMany({ where: { jobId: id }, orderBy: { step: 'asc' } });
    expect(points.map((p) => p.step)).toEqual([...new Set([...everyThird, ...epochEnds])].sort((a, b) => a - b));
    for (const point of points) {
      expect(Number.isFinite(point.loss)).toBe(true);
      expect(point.accuracy !== null).toBe(epochEnds.includes(point.step));
      expect(point.epoch).toBe(Math.ceil(point.step / stepsPerEpoch));
    }
  });

  it('writes thousands of microsecond epochs in a few transactions, every point and event kept in order', async () => {
    const epochs = 6000; // xor: one step an epoch, so the thread runs far ahead of the database
    const { id } = await world.submit({
      dataset: 'builtin:xor',
      layers: [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'softmax' }],
      training: { epochs, batchSize: 4, validationSplit: 0 },
      snapshots: { everyEpochs: 1000, keep: 2 },
    });
    const job = await world.waitForJob(id, 'an end', (row) => ['succeeded', 'failed', 'cancelled'].includes(row.status));
    expect(job.errorMessage).toBeNull();
    expect(job.status).toBe('succeeded');
    const { prisma } = world.db;
    const points = await prisma.metricPoint.findMany({ where: { jobId: id }, orderBy: { step: 'asc' }, select: { epoch: true } });
    expect(points.map((p) => p.epoch)).toEqual(Array.from({ length: epochs }, (_, i) => i + 1));
    const events = await prisma.jobEvent.findMany({ where: { jobId: id }, orderBy: { id: 'asc' }, select: { type: true, data: true } });
    const metricEpochs = events.filter((e) => e.type === 'metrics').map((e) => (e.data as { epoch: number }).epoch);
    expect(metricEpochs).toEqual(points.map((p) => p.epoch));
    const periodic = await prisma.snapshot.findMany({ where: { jobId: id, kind: 'periodic' }, orderBy: { epoch: 'asc' }, select: { epoch: true } });
    expect(periodic.map((s) => s.epoch)).toEqual([5000, 6000]);
  });

  it('trains WORKER_CONCURRENCY jobs at once in one process', async () => {
    await worker.stop();
    const parallel = await world.spawnWorker({ WORKER_CONCURRENCY: '2' });
    // Jobs of a few seconds (MNIST epochs of tens of milliseconds), so that they overlap.
    const spec = {
      dataset: 'builtin:mnist',
      layers: [{ units: 32, activation: 'relu' as const }, { units: 10, activation: 'softmax' as const }],
      training: { epochs: 80, batchSize: 32 },
    };
    const [a, b] = [await world.submit(spec), await world.submit(spec)];
    await world.waitFor('both jobs running at the same time', async () => {
      const rows = await world.db.prisma.job.findMany({ where: { id: { in: [a.id, b.id] } } });
      return rows.every((row) => row.status === 'running' && row.step > 0) || rows.some((row) => row.status !== 'queued' && row.status !== 'running');
    });
    const both = await world.db.prisma.job.findMany({ where: { id: { in: [a.id, b.id] } } });
    expect(both.map((row) => row.status)).toEqual(['running', 'running']);
    for (const { id } of [a, b]) {
      expect((await world.waitForJob(id, 'an end', (row) => row.finishedAt !== null)).status).toBe('succeeded');
      expect(parallel.lines.some((line) => line.msg === 'starting job' && line.jobId === id)).toBe(true);
    }
  });
});
