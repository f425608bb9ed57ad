import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma } from './client.ts';
import type { JobStatus, PrismaClient } from './generated/prisma/client.ts';
import { JOB_TRANSITIONS, transitionJob } from './job-transitions.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

// The contract, written out independently of JOB_TRANSITIONS (service-plan.md, "Status moves only by transitionJob").
const STATUSES: JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
const ALLOWED = new Set([
  'queued→running', 'queued→cancelled', 'queued→failed',
  'running→succeeded', 'running→failed', 'running→cancelled', 'running→queued',
]);

let db: TestDatabase;
let jobCount = 0;

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'transitions' });
  await db.prisma.tenant.create({ data: { id: 'ten_t', name: 't', webhookSecret: 's' } });
});
afterAll(() => db?.drop());

async function jobIn(status: JobStatus): Promise<string> {
  const id = `job_${++jobCount}`;
  await db.prisma.job.create({ data: { id, tenantId: 'ten_t', datasetId: 'builtin:xor', spec: {}, epochs: 1, status } });
  return id;
}

describe('JOB_TRANSITIONS', () => {
  it('is the contract table', () => {
    const table = STATUSES.flatMap((from) => JOB_TRANSITIONS[from].map((to) => `${from}→${to}`));
    expect(new Set(table)).toEqual(ALLOWED);
  });
});

describe('transitionJob', () => {
  for (const from of STATUSES) {
    for (const to of STATUSES) {
      const allowed = ALLOWED.has(`${from}→${to}`);
      it(`${from} → ${to} ${allowed ? 'moves' : 'is refused'}`, async () => {
        const id = await jobIn(from);
        const before = await db.prisma.job.findUniqueOrThrow({ where: { id } });

        const moved = await transitionJob(db.prisma, id, to, { errorMessage: 'marker' });

        const after = await db.prisma.job.findUniqueOrThrow({ where: { id } });
        expect(moved).toBe(allowed);
        if (!allowed) {
          expect(after).toEqual(before);
          return;
        }
        expect(after.status).toBe(to);
        expect(after.errorMessage).toBe('marker');
        expect(after.attempts).toBe(to === 'running' ? 1 : 0);
        expect(after.startedAt !== null).toBe(to === 'running');
        expect(after.finishedAt !== null).toBe(['succeeded', 'failed', 'cancelled'].includes(to));
      });
    }
  }

  it('returns false for a job that does not exist', async () => {
    expect(await transitionJob(db.prisma, 'job_missing', 'running')).toBe(false);
  });

  it('lets data override the defaults, and refuses data that sets the status', async () => {
    const id = await jobIn('queued');
    const startedAt = new Date('2025-05-05T00:00:00.000Z');
    expect(await transitionJob(db.prisma, id, 'running', { startedAt, backend: 'openblas' })).toBe(true);
    expect(await db.prisma.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ startedAt, backend: 'openblas', attempts: 1 });
    await expect(transitionJob(db.prisma, id, 'failed', { status: 'succeeded' } as never)).rejects.toThrow(/must not set status/);
    await expect(transitionJob(db.prisma, id, 'done' as JobStatus)).rejects.toThrow(/unknown job status "done"/);
  });

  it('counts every start: a job handed back and picked up again has attempts 2', async () => {
    const id = await jobIn('queued');
    expect(await transitionJob(db.prisma, id, 'running')).toBe(true);
    expect(await transitionJob(db.prisma, id, 'queued')).toBe(true);
    expect(await transitionJob(db.prisma, id, 'running')).toBe(true);
    expect((await db.prisma.job.findUniqueOrThrow({ where: { id } })).attempts).toBe(2);
  });

  it('works inside an interactive transaction', async () => {
    const id = await jobIn('queued');
    await expect(db.prisma.$transaction(async (tx) => {
      expect(await transitionJob(tx, id, 'running')).toBe(true);
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect((await db.prisma.job.findUniqueOrThrow({ where: { id } })).status).toBe('queued');
  });
});

describe('racing transitions (two workers, separate connections)', () => {
  let other: PrismaClient;
  beforeAll(() => {
    other = createPrisma({ url: db.url, poolSize: 2 });
  });
  afterAll(() => other?.$disconnect());

  it('running → succeeded against running → failed: exactly one wins, every time', async () => {
    for (let round = 0; round < 20; round++) {
      const id = await jobIn('running');
      const [succeeded, failed] = await Promise.all([
        transitionJob(db.prisma, id, 'succeeded'),
        transitionJob(other, id, 'failed', { errorCode: 'diverged' }),
      ]);
      expect(Number(succeeded) + Number(failed)).toBe(1);
      const job = await db.prisma.job.findUniqueOrThrow({ where: { id } });
      expect(job.status).toBe(succeeded ? 'succeeded' : 'failed');
      expect(job.errorCode).toBe(succeeded ? null : 'diverged');
    }
  });

  it('two workers starting one queued job: exactly one runs it', async () => {
    for (let round = 0; round < 20; round++) {
      const id = await jobIn('queued');
      const results = await Promise.all([transitionJob(db.prisma, id, 'running'), transitionJob(other, id, 'running')]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await db.prisma.job.findUniqueOrThrow({ where: { id } })).attempts).toBe(1);
    }
  });
});
