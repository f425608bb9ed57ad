import type { JobEventType, StatusEventData } from '@trainyard/contracts';
import type { Prisma } from '@trainyard/db';

/** Appends a job event (the SSE stream's source of truth); publish its id after the transaction commits. */
export async function insertJobEvent(tx: Prisma.TransactionClient, jobId: string, type: JobEventType, data: object): Promise<bigint> {
  const event = await tx.jobEvent.create({ data: { jobId, type, data: data as Prisma.InputJsonValue }, select: { id: true } });
  return event.id;
}

export function statusEvent(status: StatusEventData['status'], at: Date, error: StatusEventData['error'] = null): StatusEventData {
  return { status, error, at: at.toISOString() };
}
