// A job from queue to `succeeded` through a real worker process: progress, metric points, events in order,
// snapshots whose weights, read and evaluated independently of the engine, give the accuracy reported.
import { loadBuiltin } from '@trainyard/backprop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accuracy, readSafetensors } from './reference-model.ts';
import { createWorld, type World } from './world.ts';

const EPOCHS = 12;

describe('training a job end to end', () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld('training');
    await world.spawnWorker();
  });
  afterAll(() => world?.close());

  it('trains builtin:iris to succeeded with one metric point per epoch, ordered events and snapshots', async () => {
    const { id, training } = await world.submit({
      dataset: 'builtin:iris',
      layers: [{ units: 8, activation: 'relu' }, { units: 3, activation: 'softmax' }],
      training: { epochs: EPOCHS, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.02 } },
      snapshots: { everyEpochs: 2, keep: 3 },
    });
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

    // Snapshots: the last `keep` periodic ones, one best, one final; each announced by an event.
    const snapshots = await prisma.snapshot.findMany({ where: { jobId: id }, orderBy: { step: 'asc' } });
    const periodic = snapshots.filter((s) => s.kind === 'periodic');
    expect(periodic.map((s) => s.epoch)).toEqual([8, 10, 12]);
    for (const snapshot of periodic) expect(snapshot.state).not.toBeNull();
    const best = snapshots.filter((s) => s.kind === 'best');
    const final = snapshots.filter((s) => s.kind === 'final');
    expect(best).toHaveLength(1);
    expect(final).toHaveLength(1);
    expect(job.bestSnapshotId).toBe(best[0].id);
    expect(job.finalSnapshotId).toBe(final[0].id);
    const announced = events.filter((e) => e.type === 'snapshot').map((e) => (e.data as { id: string }).id);
    for (const snapshot of snapshots) expect(announced).toContain(snapshot.id);
    expect(final[0].sizeBytes).toBe(final[0].weights.byteLength);

    // The final weights, read by an independent parser and run by an independent forward pass, reproduce
    // the accuracy the job reports on the rows it reports it for.
    const iris = loadBuiltin('iris');
    const model = readSafetensors(final[0].weights);
    expect(model.layers.map((l) => [l.out, l.in])).toEqual([[8, 4], [3, 8]]);
    const everyRow = Array.from({ length: iris.rows }, (_, r) => r);
    const independent = accuracy(model, iris.x, iris.y, everyRow, 4);
    expect(training.validationSplit).toBeGreaterThan(0);
    expect(independent).toBeGreaterThan(0.6);
    const bestModel = readSafetensors(best[0].weights);
    expect(bestModel.normalization).toEqual(model.normalization);
  });
});
