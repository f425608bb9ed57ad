// The webhook queue carries delivery ids only; the WebhookDelivery row holds the rest.

/** BullMQ job name of every delivery. */
export const DELIVERY_JOB_NAME = 'deliver';

/** The webhook queue that goes with a job queue, e.g. `trainyard-jobs-webhooks`. */
export function webhookQueueName(jobQueueName: string): string {
  return `${jobQueueName}-webhooks`;
}

export interface DeliveryPayload {
  /** WebhookDelivery.id, as a decimal string (BigInt is not JSON). */
  deliveryId: string;
}

/** The BullMQ job id of a delivery: one queue entry per delivery, so enqueueing twice is harmless. */
export function deliveryJobId(deliveryId: bigint | string): string {
  return `delivery-${deliveryId}`;
}

/** Checks what came off the queue; throws naming the problem. */
export function parseDeliveryPayload(data: unknown): bigint {
  const id = (data as DeliveryPayload | null)?.deliveryId;
  if (typeof id !== 'string' || !/^[1-9]\d{0,18}$/.test(id)) {
    throw new TypeError(`webhook queue payload is not { deliveryId: "<decimal id>" }: ${JSON.stringify(data)?.slice(0, 200)}`);
  }
  return BigInt(id);
}
