import type { SweepResponse, TrialResponse } from '@trainyard/contracts';
import type { JobStatus, Prisma, PrismaClient } from '@trainyard/db';
import type { StoredSweepSpec } from './build-trials.ts';

export const SWEEP_COLUMNS = {
  id: true, status: true, spec: true, total: true, parallelism: true, cancelRequested: true, datasetId: true,
  createdAt: true, startedAt: true, finishedAt: true,
} as const satisfies Prisma.SweepSelect;

export type SweepRow = Prisma.SweepGetPayload<{ select: typeof SWEEP_COLUMNS }>;

const TRIAL_COLUMNS = {
  id: true, status: true, trialIndex: true, parameters: true, objective: true, metrics: true, epoch: true, stopReason: true,
} as const satisfies Prisma.JobSelect;

type TrialRow = Prisma.JobGetPayload<{ select: typeof TRIAL_COLUMNS }>;

/** The sweep with its trial counts and best trial (two indexed queries on its trials). */
export async function presentSweep(prisma: PrismaClient, row: SweepRow): Promise<SweepResponse> {
  const spec = row.spec as unknown as StoredSweepSpec;
  const groups = await prisma.job.groupBy({ by: ['status'], where: { sweepId: row.id }, _count: { _all: true } });
  const count = (status: JobStatus) => groups.find((g) => g.status === status)?._count._all ?? 0;
  const pruned = await prisma.job.count({ where: { sweepId: row.id, stopReason: 'pruned' } });
  const created = groups.reduce((sum, g) => sum + g._count._all, 0);
  const [best] = await leaderboard(prisma, row.id, spec, { take: 1, endedOnly: true });
  return {
    id: row.id,
    status: row.status,
    method: spec.method,
    dataset: row.datasetId,
    parameters: spec.parameters,
    parallelism: row.parallelism,
    pruning: spec.pruning,
    seed: spec.seed,
    trials: {
      total: row.total, queued: count('queued') + (row.cancelRequested ? 0 : row.total - created), running: count('running'),
      succeeded: count('succeeded'), failed: count('failed'), cancelled: count('cancelled'), pruned,
    },
    objective: spec.objective,
    best: best && best.value !== null ? { jobId: best.jobId, value: best.value, parameters: best.parameters } : null,
    cancelRequested: row.cancelRequested,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/**
 * Trials best first by the objective (a trial that has not ended is ranked by its latest epoch's value; trials
 * without a value last, then by trial index). `endedOnly`: only succeeded trials (the sweep's `best`).
 */
export async function leaderboard(
  prisma: PrismaClient, sweepId: string, spec: StoredSweepSpec, options: { take?: number; skip?: number; endedOnly?: boolean } = {},
): Promise<TrialResponse[]> {
  const rows = await prisma.job.findMany({
    where: { sweepId, ...(options.endedOnly ? { status: 'succeeded' } : {}) },
    select: TRIAL_COLUMNS,
  });
  const trials = rows.map((row) => presentTrial(row, spec));
  const sign = spec.objective.goal === 'minimize' ? 1 : -1;
  trials.sort((a, b) => {
    if (a.value === null || b.value === null) return a.value === null && b.value === null ? a.trial - b.trial : a.value === null ? 1 : -1;
    return sign * (a.value - b.value) || a.trial - b.trial;
  });
  const start = options.skip ?? 0;
  return trials.slice(start, options.take === undefined ? undefined : start + options.take);
}

function presentTrial(row: TrialRow, spec: StoredSweepSpec): TrialResponse {
  const latest = (row.metrics as Record<string, unknown> | null)?.[spec.objective.metric];
  const value = row.objective ?? (typeof latest === 'number' && Number.isFinite(latest) ? latest : null);
  return {
    jobId: row.id, trial: row.trialIndex ?? 0, status: row.status,
    parameters: (row.parameters as Record<string, unknown> | null) ?? {}, value, epochs: row.epoch, stopReason: row.stopReason,
  };
}
