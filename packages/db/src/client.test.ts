// Every model round-trips through the Prisma client on a schema built by our migration: the SQL fits schema.prisma.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from './generated/prisma/client.ts';
import { createPrisma } from './client.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'client' });
});
afterAll(() => db?.drop());

const bytes = (...values: number[]) => new Uint8Array(values);

describe('Prisma client on the migrated schema', () => {
  it('creates and reads every model with every field set', async () => {
    const prisma = db.prisma;
    const at = new Date('2025-01-02T03:04:05.678Z');
    const tenant = { id: 'ten_1', name: 'Acme', webhookSecret: 'whsec', createdAt: at };
    const apiKey = { id: 'key_1', tenantId: 'ten_1', hash: 'a'.repeat(64), prefix: 'ty_abc', createdAt: at, revokedAt: at };
    const dataset = {
      id: 'ds_1', tenantId: 'ten_1', name: 'iris', task: 'classification', target: 'species',
      features: ['a', 'b'], classes: ['x', 'y'], rows: 2, sizeBytes: 16, sha256: 'f'.repeat(64), format: 'csv',
      x: bytes(0, 0, 128, 63), y: bytes(1, 2), original: bytes(97, 44, 98), createdAt: at, profile: [{ name: 'a', type: 'number' }], rowsWithoutTarget: 1,
    };
    const job = {
      id: 'job_1', tenantId: 'ten_1', datasetId: 'ds_1', status: 'running' as const, spec: { model: { layers: [] } },
      epoch: 3, epochs: 10, step: 30, steps: 100, metrics: { loss: 0.5 }, samplesPerSecond: 1234.5, backend: 'js',
      stoppedEarly: true, errorCode: 'diverged', errorMessage: 'NaN loss', attempts: 2, cancelRequested: true,
      bestSnapshotId: 'snap_1', finalSnapshotId: 'snap_1', createdAt: at, startedAt: at, finishedAt: at,
      datasetSha256: 'f'.repeat(64), engineVersion: '0.1.0', threads: 2, weightsSha256: 'e'.repeat(64),
      replayOf: 'job_0', reproducesIdentical: true, sweepId: 'swp_1', trialIndex: 0, parameters: { 'training.batchSize': 16 },
      stopReason: 'pruned', objective: 0.125,
    };
    const sweep = {
      id: 'swp_1', tenantId: 'ten_1', status: 'running' as const, spec: { method: 'grid' }, trials: [{ parameters: {}, spec: {} }],
      total: 1, parallelism: 1, created: 1, cancelRequested: true, datasetId: 'ds_1', datasetSha256: 'f'.repeat(64),
      createdAt: at, startedAt: at, finishedAt: at,
    };
    const rung = { sweepId: 'swp_1', epoch: 1, jobId: 'job_1', value: 0.5, continues: false, at };
    const point = { jobId: 'job_1', epoch: 3, step: 30, loss: 0.25, accuracy: 0.9, valLoss: 0.3, valAccuracy: 0.85, rmse: 1.5, mae: 1.25, r2: 0.75, valRmse: 2.5, valMae: 2.25, valR2: 0.5, at };
    const snapshot = {
      id: 'snap_1', tenantId: 'ten_1', jobId: 'job_1', kind: 'best' as const, epoch: 3, step: 30,
      metrics: { loss: 0.25 }, sizeBytes: 3, weights: bytes(1, 2, 3), state: bytes(4, 5), createdAt: at,
    };
    const checkpoint = { jobId: 'job_1', epoch: 3, step: 30, state: bytes(9, 9) };
    const event = { jobId: 'job_1', type: 'status', data: { status: 'running', error: null }, createdAt: at };
    const idempotency = {
      tenantId: 'ten_1', scope: 'jobs', key: 'k-1', requestHash: 'b'.repeat(64), status: 201,
      response: { id: 'job_1' }, createdAt: at, expiresAt: at,
    };
    const delivery = {
      jobId: 'job_1', tenantId: 'ten_1', event: 'job.succeeded', url: 'https://example.test/hook',
      body: { ok: true }, attempts: 1, lastError: 'timeout', deliveredAt: at, createdAt: at,
    };

    await prisma.tenant.create({ data: tenant });
    await prisma.apiKey.create({ data: apiKey });
    await prisma.dataset.create({ data: dataset });
    await prisma.sweep.create({ data: sweep });
    await prisma.job.create({ data: job });
    await prisma.sweepRung.create({ data: rung });
    const createdPoint = await prisma.metricPoint.create({ data: point });
    await prisma.snapshot.create({ data: snapshot });
    await prisma.checkpoint.create({ data: checkpoint });
    const createdEvent = await prisma.jobEvent.create({ data: event });
    await prisma.idempotencyRecord.create({ data: idempotency });
    const createdDelivery = await prisma.webhookDelivery.create({ data: delivery });

    expect(await prisma.tenant.findUniqueOrThrow({ where: { id: 'ten_1' } })).toEqual(tenant);
    expect(await prisma.apiKey.findUniqueOrThrow({ where: { hash: apiKey.hash } })).toEqual(apiKey);
    expect(await prisma.dataset.findUniqueOrThrow({ where: { id: 'ds_1' } })).toEqual(dataset);
    expect(await prisma.job.findUniqueOrThrow({ where: { id: 'job_1' } })).toEqual({ ...job, updatedAt: expect.any(Date) });
    expect(await prisma.sweep.findUniqueOrThrow({ where: { id: 'swp_1' } })).toEqual({ ...sweep, updatedAt: expect.any(Date) });
    expect(await prisma.sweepRung.findUniqueOrThrow({ where: { sweepId_epoch_jobId: { sweepId: 'swp_1', epoch: 1, jobId: 'job_1' } } })).toEqual(rung);
    expect(typeof createdPoint.id).toBe('bigint');
    expect(await prisma.metricPoint.findUniqueOrThrow({ where: { jobId_step: { jobId: 'job_1', step: 30 } } }))
      .toEqual({ ...point, id: createdPoint.id });
    expect(await prisma.snapshot.findUniqueOrThrow({ where: { id: 'snap_1' } })).toEqual(snapshot);
    expect(await prisma.checkpoint.findUniqueOrThrow({ where: { jobId: 'job_1' } }))
      .toEqual({ ...checkpoint, updatedAt: expect.any(Date) });
    expect(await prisma.jobEvent.findUniqueOrThrow({ where: { id: createdEvent.id } }))
      .toEqual({ ...event, id: createdEvent.id });
    expect(await prisma.idempotencyRecord.findUniqueOrThrow({
      where: { tenantId_scope_key: { tenantId: 'ten_1', scope: 'jobs', key: 'k-1' } },
    })).toEqual(idempotency);
    expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: createdDelivery.id } }))
      .toEqual({ ...delivery, id: createdDelivery.id });

    // Relations resolve in both directions.
    const withAll = await prisma.job.findUniqueOrThrow({
      where: { id: 'job_1' },
      include: { tenant: true, points: true, snapshots: true, events: true, checkpoint: true },
    });
    expect(withAll.tenant.id).toBe('ten_1');
    expect([withAll.points.length, withAll.snapshots.length, withAll.events.length]).toEqual([1, 1, 1]);
    expect(withAll.checkpoint?.epoch).toBe(3);
  });

  it('fills defaults the way the schema declares', async () => {
    const prisma = db.prisma;
    await prisma.tenant.create({ data: { id: 'ten_d', name: 'd', webhookSecret: 's' } });
    const job = await prisma.job.create({ data: { id: 'job_d', tenantId: 'ten_d', datasetId: 'builtin:xor', spec: {}, epochs: 5 } });
    expect(job).toMatchObject({
      status: 'queued', epoch: 0, step: 0, steps: 0, attempts: 0, stoppedEarly: false, cancelRequested: false,
      metrics: null, startedAt: null, finishedAt: null,
    });
    const before = job.updatedAt.getTime();
    const later = await prisma.job.update({ where: { id: 'job_d' }, data: { epoch: 1 } });
    expect(later.updatedAt.getTime()).toBeGreaterThanOrEqual(before);
    const events = await Promise.all([1, 2, 3].map((n) =>
      prisma.jobEvent.create({ data: { jobId: 'job_d', type: 'progress', data: { n } } })));
    expect(new Set(events.map((event) => event.id)).size).toBe(3);
  });

  it('enforces the unique keys and cascades deletes from tenants and jobs', async () => {
    const prisma = db.prisma;
    await prisma.tenant.create({ data: { id: 'ten_c', name: 'c', webhookSecret: 's' } });
    await prisma.apiKey.create({ data: { id: 'key_c1', tenantId: 'ten_c', hash: 'c'.repeat(64), prefix: 'ty_c' } });
    const duplicate = await prisma.apiKey
      .create({ data: { id: 'key_c2', tenantId: 'ten_c', hash: 'c'.repeat(64), prefix: 'ty_c' } })
      .catch((error) => error);
    expect(duplicate).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect(duplicate.code).toBe('P2002');

    await prisma.job.create({ data: { id: 'job_c', tenantId: 'ten_c', datasetId: 'builtin:xor', spec: {}, epochs: 1 } });
    const key = { jobId_step: { jobId: 'job_c', step: 10 } };
    await prisma.metricPoint.upsert({ where: key, create: { jobId: 'job_c', epoch: 1, step: 10, loss: 1 }, update: { loss: 1 } });
    await prisma.metricPoint.upsert({ where: key, create: { jobId: 'job_c', epoch: 1, step: 10, loss: 2 }, update: { loss: 2 } });
    expect(await prisma.metricPoint.findMany({ where: { jobId: 'job_c' }, select: { loss: true } })).toEqual([{ loss: 2 }]);
    await prisma.snapshot.create({ data: { id: 'snap_c', tenantId: 'ten_c', jobId: 'job_c', kind: 'final', sizeBytes: 1, weights: bytes(1) } });
    await prisma.checkpoint.create({ data: { jobId: 'job_c', epoch: 1, step: 10, state: bytes(1) } });

    await prisma.tenant.delete({ where: { id: 'ten_c' } });
    const left = await Promise.all([
      prisma.apiKey.count({ where: { tenantId: 'ten_c' } }),
      prisma.job.count({ where: { id: 'job_c' } }),
      prisma.metricPoint.count({ where: { jobId: 'job_c' } }),
      prisma.snapshot.count({ where: { id: 'snap_c' } }),
      prisma.checkpoint.count({ where: { jobId: 'job_c' } }),
    ]);
    expect(left).toEqual([0, 0, 0, 0, 0]);
  });

  it('keeps raw SQL in the same schema as the model queries', async () => {
    const [{ schema }] = await db.prisma.$queryRaw<{ schema: string }[]>`SELECT current_schema() AS schema`;
    expect(schema).toBe(db.schema);
  });

  it('rejects a pool size that is not a positive integer', () => {
    expect(() => createPrisma({ url: db.url, poolSize: 0 })).toThrow(/poolSize/);
  });
});
