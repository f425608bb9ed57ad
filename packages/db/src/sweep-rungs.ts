// ASHA's decision for one trial at one rung, taken once: under the sweep row's lock, against the values that
// reached the rung before it, and recorded (sweep_rungs' primary key). A trial that reaches the rung again after
// a resume gets the recorded decision back.
import { continuesAtRung, type Goal } from '@trainyard/sweeps';
import type { Prisma } from './generated/prisma/client.ts';

export async function decideRung(
  tx: Prisma.TransactionClient,
  rung: { sweepId: string; epoch: number; jobId: string; value: number; goal: Goal; reductionFactor: number },
): Promise<boolean> {
  const { sweepId, epoch, jobId, value, goal, reductionFactor } = rung;
  await tx.$queryRaw`SELECT id FROM sweeps WHERE id = ${sweepId} FOR UPDATE`;
  const recorded = await tx.sweepRung.findUnique({ where: { sweepId_epoch_jobId: { sweepId, epoch, jobId } }, select: { continues: true } });
  if (recorded !== null) return recorded.continues;
  const earlier = await tx.sweepRung.findMany({ where: { sweepId, epoch }, select: { value: true } });
  const continues = continuesAtRung(value, earlier.map((row) => row.value), goal, reductionFactor);
  await tx.sweepRung.create({ data: { sweepId, epoch, jobId, value: Number.isFinite(value) ? value : worst(goal), continues }, select: { sweepId: true } });
  return continues;
}

/** A NaN or infinite objective is recorded as the worst possible value, so it never makes another trial look bad. */
const worst = (goal: Goal) => (goal === 'minimize' ? Number.MAX_VALUE : -Number.MAX_VALUE);
