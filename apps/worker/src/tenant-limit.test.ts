import { createTestDatabase, type TestDatabase } from '@trainyard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimJob } from './claim.ts';

describe('TRAINYARD_MAX_RUNNING_JOBS_PER_TENANT at the claim', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ prefix: 'worker_tenant_limit' });
    for (const id of ['ten_busy', 'ten_other', 'ten_race']) await db.prisma.tenant.create({ data: { id, name: id, webhookSecret: 's' } });
  });
  afterAll(async () => {
    await db?.drop();
  });

  const insert = (id: string, tenantId: string, status: 'queued' | 'running' | 'succeeded', attempts = 0) =>
    db.prisma.job.create({ data: { id, tenantId, datasetId: 'builtin:iris', status, spec: {}, epochs: 1, attempts } });

  it('leaves a queued job unstarted while its tenant has the limit running, and starts other tenants\' jobs', async () => {
    await insert('job_b1', 'ten_busy', 'running', 1);
    await insert('job_b2', 'ten_busy', 'running', 1);
    await insert('job_b3', 'ten_busy', 'succeeded', 1);
    await insert('job_b4', 'ten_busy', 'queued');
    await insert('job_o1', 'ten_other', 'queued');
    const limit = (tenantId: string) => ({ tenantId, maxRunning: 2 });

    expect(await claimJob(db.prisma, 'job_b4', 'queued', 0, limit('ten_busy'))).toEqual({ kind: 'tenant_busy', running: 2 });
    expect(await db.prisma.job.findUniqueOrThrow({ where: { id: 'job_b4' } })).toMatchObject({ status: 'queued', attempts: 0, startedAt: null });
    expect(await claimJob(db.prisma, 'job_o1', 'queued', 0, limit('ten_other'))).toMatchObject({ kind: 'claimed', lease: 1 });

    // A resume is not a new start: the job already holds its place.
    expect(await claimJob(db.prisma, 'job_b1', 'running', 1, limit('ten_busy'))).toMatchObject({ kind: 'claimed', lease: 2, resumed: true });

    // Once one ends, the next one starts.
    await db.prisma.job.update({ where: { id: 'job_b2' }, data: { status: 'succeeded', finishedAt: new Date() } });
    expect(await claimJob(db.prisma, 'job_b4', 'queued', 0, limit('ten_busy'))).toMatchObject({ kind: 'claimed', lease: 1 });
  });

  it('never lets concurrent claims of one tenant past the limit', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `job_race_${i}`);
    for (const id of ids) await insert(id, 'ten_race', 'queued');
    const claims = await Promise.all(ids.map((id) => claimJob(db.prisma, id, 'queued', 0, { tenantId: 'ten_race', maxRunning: 3 })));
    expect(claims.filter((claim) => claim.kind === 'claimed')).toHaveLength(3);
    expect(claims.filter((claim) => claim.kind === 'tenant_busy')).toHaveLength(9);
    expect(await db.prisma.job.count({ where: { tenantId: 'ten_race', status: 'running' } })).toBe(3);
  });
});
