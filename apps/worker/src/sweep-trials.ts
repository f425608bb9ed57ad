// A job that is a sweep's trial: what its sweep asks of it (the objective, ASHA's rungs). The decisions are
// @trainyard/db's (decideRung; topUpSweep through @trainyard/queue's continueSweep).
import type { PrismaClient } from '@trainyard/db';
import { continueSweep } from '@trainyard/queue';
import { rungEpochs, type Goal } from '@trainyard/sweeps';
import type { Announcer } from './job-events.ts';

export interface SweepContext {
  id: string;
  metric: string;
  goal: Goal;
  /** ASHA: the epochs at which the trial is judged, and how strictly. */
  pruning: { rungs: number[]; reductionFactor: number } | null;
}

interface StoredSweepSpec {
  objective: { metric: string; goal: Goal };
  pruning: { type: 'asha'; minEpochs: number; reductionFactor: number } | null;
}

export async function sweepContext(prisma: PrismaClient, sweepId: string | null, epochs: number): Promise<SweepContext | null> {
  if (sweepId === null) return null;
  const sweep = await prisma.sweep.findUnique({ where: { id: sweepId }, select: { spec: true } });
  if (sweep === null) return null;
  const { objective, pruning } = sweep.spec as unknown as StoredSweepSpec;
  return {
    id: sweepId, metric: objective.metric, goal: objective.goal,
    pruning: pruning ? { rungs: rungEpochs(pruning, epochs), reductionFactor: pruning.reductionFactor } : null,
  };
}

/** The objective among a metrics object's values (NaN when the metric is missing, e.g. valLoss without a validation split). */
export function objectiveOf(sweep: SweepContext, metrics: Record<string, unknown> | null | undefined): number {
  const value = metrics?.[sweep.metric];
  return typeof value === 'number' ? value : Number.NaN;
}

/** After a trial ended: its sweep's next trials. Failures are logged: the reconciler repeats the decision. */
export async function continueSweepOf(prisma: PrismaClient, announcer: Announcer, jobId: string): Promise<void> {
  try {
    await continueSweep(prisma, announcer.queue, jobId);
  } catch (error) {
    announcer.log.warn({ err: error, jobId }, 'could not start the sweep\'s next trials; the reconciler will');
  }
}
