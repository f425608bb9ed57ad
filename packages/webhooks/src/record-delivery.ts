// The outbox: a WebhookDelivery row is written for each status change a job's webhook listens to. The row,
// not the queue entry, is the delivery; the queue only says when to try it next.
import type { Prisma, PrismaClient } from '@trainyard/db';
import { isWebhookEvent, webhookBody, webhookOf, type WebhookEvent, type WebhookJob } from './payload.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * Writes the delivery of `event` for `job` when the job's webhook lists that event; returns its id, or null
 * when nothing is to be sent. Give it a transaction client to record the delivery atomically with the
 * status change (then enqueue the id after commit).
 */
export async function recordWebhookDelivery(db: Db, job: WebhookJob, event: WebhookEvent, at: Date = new Date()): Promise<bigint | null> {
  const target = webhookOf(job.spec);
  if (!target || !isWebhookEvent(event) || !target.events.includes(event)) return null;
  const body = webhookBody(event, job, at);
  const write = async (tx: Prisma.TransactionClient) => {
    const row = await tx.webhookDelivery.create({
      data: { jobId: job.id, tenantId: job.tenantId, event, url: target.url, body },
      select: { id: true },
    });
    // The id leads the body so receivers can drop duplicates (delivery is at least once).
    await tx.webhookDelivery.update({ where: { id: row.id }, data: { body: { id: String(row.id), ...body } } });
    return row.id;
  };
  return '$transaction' in db ? db.$transaction(write) : write(db);
}
