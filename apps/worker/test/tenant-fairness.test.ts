// One tenant cannot take every worker slot: with TRAINYARD_MAX_RUNNING_JOBS_PER_TENANT=1 and two slots, a
// tenant's second and third jobs wait (delayed in the queue, not failed, not counted as attempts) while
// another tenant's job, submitted after them, starts at once; then they run one after another.
import { newId } from '@trainyard/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerProcess } from './worker-process.ts';
import { createWorld, type World } from './world.ts';

// Small jobs of a second or more (thousands of iris steps), so that a busy tenant's job outlasts the others' start.
const SPEC = {
  dataset: 'builtin:iris',
  layers: [{ units: 16, activation: 'relu' as const }, { units: 3, activation: 'softmax' as const }],
  training: { epochs: 400, batchSize: 8 },
};

describe('per-tenant running-jobs limit', () => {
  let world: World;
  let worker: WorkerProcess;
  beforeAll(async () => {
    world = await createWorld('tenant_fairness');
    // The default lock (the world's short one is for crash tests): on a loaded machine a 2 s lock can lapse mid-job.
    worker = await world.spawnWorker({
      WORKER_CONCURRENCY: '2', TRAINYARD_MAX_RUNNING_JOBS_PER_TENANT: '1', WORKER_LOCK_DURATION_MS: '15000', WORKER_STALLED_INTERVAL_MS: '5000',
    });
  });
  afterAll(async () => {
    await world?.close();
  });

  it("starts another tenant's later job while the first tenant's wait, and never runs two of one tenant at once", async () => {
    const flooder = [await world.submit(SPEC), await world.submit(SPEC), await world.submit(SPEC)];
    const bystanderTenant = newId('tenant');
    await world.db.prisma.tenant.create({ data: { id: bystanderTenant, name: 'bystander', webhookSecret: 'test-secret' } });
    const bystander = await world.submit(SPEC, { enqueue: false });
    await world.db.prisma.job.update({ where: { id: bystander.id }, data: { tenantId: bystanderTenant } });
    await world.queue.enqueue(bystander.id);

    const ended = await Promise.all([...flooder, bystander].map(({ id }) => world.waitForJob(id, 'an end', (row) => row.finishedAt !== null)));
    expect(ended.map((row) => row.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    const [first, ...waiting] = ended.slice(0, 3).sort((a, b) => a.startedAt!.getTime() - b.startedAt!.getTime());
    const other = ended[3];

    // The bystander did not queue behind the flooder's jobs: it started while the first one trained.
    expect(other.startedAt!.getTime()).toBeLessThan(first.finishedAt!.getTime());
    for (const row of waiting) expect(other.startedAt!.getTime()).toBeLessThan(row.startedAt!.getTime());
    // The flooder's jobs ran one after another, each started once (a wait is not an attempt).
    const byStart = [first, ...waiting];
    for (let i = 1; i < byStart.length; i++) expect(byStart[i].startedAt!.getTime()).toBeGreaterThanOrEqual(byStart[i - 1].finishedAt!.getTime());
    for (const row of ended) expect(row.attempts).toBe(1);
    expect(worker.lines.some((line) => line.msg === 'starting job' && line.jobId === other.id)).toBe(true);
  });
});
