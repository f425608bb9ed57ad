export { signWebhook, verifyWebhookSignature, parseSignatureHeader, computeSignature, SIGNATURE_HEADER, DEFAULT_SIGNATURE_TOLERANCE_SECONDS } from './signature.ts';
export { WebhookDispatcher, RECONCILE_WINDOW_MS, type WebhookDispatcherOptions, type ReconcileDeliveriesResult } from './dispatcher.ts';
export { WebhookWorker, startWebhookWorker, type WebhookWorkerOptions } from './webhook-worker.ts';
export { recordWebhookDelivery } from './record-delivery.ts';
export { webhookQueueName, deliveryJobId } from './delivery-queue.ts';
export { WEBHOOK_EVENTS, DEFAULT_WEBHOOK_EVENTS, WEBHOOK_JOB_COLUMNS, webhookOf, type WebhookEvent, type WebhookJob, type WebhookTarget } from './payload.ts';
export { DEFAULT_WEBHOOK_SETTINGS, resolveWebhookSettings, type WebhookSettings } from './settings.ts';
export type { WebhookLogger } from './log.ts';
