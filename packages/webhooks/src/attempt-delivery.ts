// One try of one delivery: read the row and the tenant's secret, POST, record the outcome on the row.
import type { PrismaClient } from '@trainyard/db';
import type { AddressPolicy } from './address-policy.ts';
import { postWebhook } from './post-webhook.ts';

export type AttemptResult = 'delivered' | 'already_delivered' | 'missing';

/** The attempt failed; `retryable` says whether another attempt could succeed. */
export class DeliveryAttemptError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'DeliveryAttemptError';
  }
}

/** Sends the delivery once; throws DeliveryAttemptError after recording a failed attempt. */
export async function attemptDelivery(
  prisma: PrismaClient,
  deliveryId: bigint,
  { timeoutMs, policy }: { timeoutMs: number; policy: AddressPolicy },
): Promise<AttemptResult> {
  const delivery = await prisma.webhookDelivery.findUnique({
    where: { id: deliveryId },
    select: { id: true, tenantId: true, event: true, url: true, body: true, deliveredAt: true },
  });
  if (!delivery) return 'missing';
  if (delivery.deliveredAt) return 'already_delivered';
  // Read at each attempt, so a rotated secret signs the retries.
  const tenant = await prisma.tenant.findUnique({ where: { id: delivery.tenantId }, select: { webhookSecret: true } });
  const outcome = tenant
    ? await postWebhook({
        url: delivery.url,
        body: JSON.stringify(delivery.body),
        secret: tenant.webhookSecret,
        deliveryId: String(delivery.id),
        event: delivery.event,
        timeoutMs,
        policy,
      })
    : ({ ok: false, retryable: false, error: `tenant ${delivery.tenantId} no longer exists` } as const);
  await prisma.webhookDelivery.update({
    where: { id: deliveryId },
    data: outcome.ok
      ? { attempts: { increment: 1 }, deliveredAt: new Date(), lastError: null }
      : { attempts: { increment: 1 }, lastError: outcome.error },
  });
  if (!outcome.ok) throw new DeliveryAttemptError(outcome.error, outcome.retryable);
  return 'delivered';
}
