// The sweep's one recurring decision under races: many processes asking "start the next trials" at once, again
// and again, create each trial index exactly once, never exceed parallelism, and end the sweep exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideRung } from './sweep-rungs.ts';
import { topUpSweep } from './sweep-top-up.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'sweep_top_up' });
  await db.prisma.tenant.create({ data: { id: 'ten_1', name: 't', webhookSecret: 's' } });
});

afterAll(async () => {
  await db?.drop();
});

async function newSweep(id: string, total: number, parallelism: number): Promise<void> {
  const trials = Array.from({ length: total }, (_, i) => ({ parameters: { 'training.seed': i }, spec: { training: { epochs: 2, seed: i } } }));
  await db.prisma.sweep.create({ data: { id, tenantId: 'ten_1', spec: {}, trials, total, parallelism, datasetId: 'builtin:iris' } });
}

const together = (n: number, id: string) => Promise.all(Array.from({ length: n }, () => topUpSweep(db.prisma, id)));

describe('topUpSweep', () => {
  it('creates each trial once, at most `parallelism` active, however many ask at once, and ends the sweep once', async () => {
    await newSweep('swp_race', 7, 3);
    const creations: string[] = [];
    for (let round = 0; round < 10; round++) {
      const answers = await together(12, 'swp_race');
      creations.push(...answers.flatMap((a) => a.created));
      const jobs = await db.prisma.job.findMany({ where: { sweepId: 'swp_race' }, orderBy: { trialIndex: 'asc' } });
      expect(jobs.filter((j) => j.status === 'queued' || j.status === 'running').length).toBeLessThanOrEqual(3);
      expect(jobs.map((j) => j.trialIndex)).toEqual(jobs.map((_, i) => i));
      expect(jobs.map((j) => (j.parameters as Record<string, number>)['training.seed'])).toEqual(jobs.map((_, i) => i));
      // Every active trial ends (as workers would), then everyone asks again.
      await db.prisma.job.updateMany({ where: { sweepId: 'swp_race', status: 'queued' }, data: { status: 'succeeded', finishedAt: new Date() } });
    }
    const sweep = await db.prisma.sweep.findUniqueOrThrow({ where: { id: 'swp_race' } });
    expect(sweep).toMatchObject({ status: 'succeeded', created: 7 });
    expect(await db.prisma.job.count({ where: { sweepId: 'swp_race' } })).toBe(7);
    expect(new Set(creations).size).toBe(7); // every created id reported to exactly one asker
    expect(creations).toHaveLength(7);
    expect(await db.prisma.jobEvent.count({ where: { job: { sweepId: 'swp_race' }, type: 'status' } })).toBe(7);
  });

  it('starts nothing once cancel is requested, and a sweep of failed trials ends failed', async () => {
    await newSweep('swp_cancel', 5, 2);
    await topUpSweep(db.prisma, 'swp_cancel');
    await db.prisma.sweep.update({ where: { id: 'swp_cancel' }, data: { cancelRequested: true } });
    await db.prisma.job.updateMany({ where: { sweepId: 'swp_cancel' }, data: { status: 'cancelled' } });
    expect((await topUpSweep(db.prisma, 'swp_cancel'))).toEqual({ created: [], status: 'cancelled' });
    expect(await db.prisma.job.count({ where: { sweepId: 'swp_cancel' } })).toBe(2);

    await newSweep('swp_failed', 1, 1);
    await topUpSweep(db.prisma, 'swp_failed');
    await db.prisma.job.updateMany({ where: { sweepId: 'swp_failed' }, data: { status: 'failed' } });
    expect((await topUpSweep(db.prisma, 'swp_failed')).status).toBe('failed');
  });
});

describe('decideRung', () => {
  it('records one decision per trial and rung, and gives the recorded one back when asked again', async () => {
    await newSweep('swp_rung', 3, 3);
    const { created } = await topUpSweep(db.prisma, 'swp_rung');
    const decide = (jobId: string, value: number) => db.prisma.$transaction((tx) => decideRung(tx, { sweepId: 'swp_rung', epoch: 1, jobId, value, goal: 'minimize', reductionFactor: 2 }));
    expect(await decide(created[0], 0.5)).toBe(true);
    expect(await decide(created[1], 0.9)).toBe(false); // n = 2, keep 1, 0.5 is better
    expect(await decide(created[1], 0.1)).toBe(false); // asked again after a resume: the recorded decision
    expect(await decide(created[2], 0.4)).toBe(true); // n = 3, keep 2, one better
    expect(await db.prisma.sweepRung.count({ where: { sweepId: 'swp_rung' } })).toBe(3);
  });
});
