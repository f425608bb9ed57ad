// The job state machine. Status changes only here, as one guarded UPDATE, so two workers racing on a job
// cannot both move it: the database lets exactly one UPDATE match the allowed previous states.
import type { Prisma, PrismaClient } from './generated/prisma/client.ts';
import type { JobStatus } from './generated/prisma/enums.ts';

export const JOB_TRANSITIONS: Record<JobStatus, JobStatus[]> = {
  queued: ['running', 'cancelled', 'failed'],
  // running → queued: a worker hands the job back on shutdown, or recovery re-queues it after a crash.
  running: ['succeeded', 'failed', 'cancelled', 'queued'],
  succeeded: [],
  failed: [],
  cancelled: [],
};

export const TERMINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** The statuses a job may be in for a move to `to`. */
export function allowedFrom(to: JobStatus): JobStatus[] {
  return (Object.keys(JOB_TRANSITIONS) as JobStatus[]).filter((from) => JOB_TRANSITIONS[from].includes(to));
}

/** Columns set alongside the status; the status itself only moves through `to`. */
export type JobTransitionData = Omit<Prisma.JobUpdateManyMutationInput, 'status'>;

type JobWriter = Pick<PrismaClient, 'job'> | Prisma.TransactionClient;

/**
 * Moves job `id` to `to` if its current status allows it; false when it did not move (wrong state or no such job).
 * Defaults, which `data` may override: → running sets startedAt and increments attempts; → a terminal state
 * sets finishedAt.
 */
export async function transitionJob(
  prisma: JobWriter,
  id: string,
  to: JobStatus,
  data: JobTransitionData = {},
): Promise<boolean> {
  if (!Object.hasOwn(JOB_TRANSITIONS, to)) {
    throw new Error(`unknown job status ${JSON.stringify(to)}; expected one of ${Object.keys(JOB_TRANSITIONS).join(', ')}`);
  }
  if (Object.hasOwn(data, 'status')) {
    throw new Error('transitionJob data must not set status; pass the target status as `to`');
  }
  const now = new Date();
  const defaults: JobTransitionData =
    to === 'running' ? { startedAt: now, attempts: { increment: 1 } } : isTerminal(to) ? { finishedAt: now } : {};
  const { count } = await prisma.job.updateMany({
    where: { id, status: { in: allowedFrom(to) } },
    data: { ...defaults, ...data, status: to },
  });
  return count === 1;
}
