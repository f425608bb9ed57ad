// Retries through BullMQ: exponential backoff on non-2xx and timeouts, and giving up after maxAttempts with
// the last error kept on the WebhookDelivery row.
import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliveryJobId } from '../src/delivery-queue.ts';
import { eventually, TestReceiver } from './receiver.ts';
import { World } from './world.ts';

const BACKOFF_MS = 100;

describe('webhook retries', () => {
  let world: World;
  const receivers: TestReceiver[] = [];
  async function receiver(script: Parameters<typeof TestReceiver.start>[0]) {
    const started = await TestReceiver.start(script);
    receivers.push(started);
    return started;
  }
  beforeAll(async () => {
    world = await World.create('webhook_retries');
  });
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((started) => started.close()));
  });
  afterAll(async () => {
    await world?.close();
  });

  it('retries after 500, 500 with exponential backoff, and records the 200', async () => {
    const hook = await receiver((index) => (index < 2 ? 500 : 200));
    const { dispatcher } = world.start({ backoffMs: BACKOFF_MS, maxAttempts: 5 });
    const job = await world.insertJob({ status: 'succeeded', webhook: { url: hook.url(), events: ['succeeded'] } });

    const id = await dispatcher.notify(world.db.prisma, job, 'succeeded');
    const row = await eventually(async () => {
      const delivery = await world.delivery(id!);
      return delivery.deliveredAt ? delivery : null;
    }, 'the third attempt to succeed');

    expect(row.attempts).toBe(3);
    expect(row.lastError).toBeNull();
    expect(hook.requests).toHaveLength(3);
    // The same delivery each time, each attempt signed afresh.
    for (const request of hook.requests) {
      expect(JSON.parse(request.body).id).toBe(String(id));
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(request.headers['trainyard-signature']))!;
      expect(v1).toBe(createHmac('sha256', world.secret).update(`${t}.${request.body}`).digest('hex'));
    }
    // Backoff waits at least delay × 2^(retry−1) between attempts.
    const [first, second, third] = hook.requests.map((request) => request.receivedAt);
    expect(second - first).toBeGreaterThanOrEqual(BACKOFF_MS);
    expect(third - second).toBeGreaterThanOrEqual(2 * BACKOFF_MS);
  });

  it('gives up after maxAttempts, keeping the last error and never trying again', async () => {
    const hook = await receiver(() => 503);
    const { dispatcher } = world.start({ backoffMs: 10, maxAttempts: 3 });
    const job = await world.insertJob({ status: 'failed', errorCode: 'internal', webhook: { url: hook.url(), events: ['failed'] } });

    const id = await dispatcher.notify(world.db.prisma, job, 'failed');
    await eventually(async () => (await dispatcher.bull.getJobState(deliveryJobId(id!))) === 'failed', 'BullMQ to give up');

    const row = await world.delivery(id!);
    expect(row.attempts).toBe(3);
    expect(row.deliveredAt).toBeNull();
    expect(row.lastError).toBe('HTTP 503 Service Unavailable');
    expect(hook.requests).toHaveLength(3);
    expect(world.log.lines.some((line) => line.message === 'webhook delivery given up' && line.details.deliveryId === String(id))).toBe(true);
    // A reconcile does not revive a delivery that was tried.
    expect((await dispatcher.reconcile(world.db.prisma)).enqueued).not.toContain(String(id));
  });

  it('counts a receiver that does not answer within timeoutMs as a failed attempt, then retries', async () => {
    const hook = await receiver((index) => (index === 0 ? 'hang' : 200));
    const { dispatcher } = world.start({ backoffMs: 10, maxAttempts: 3, timeoutMs: 300 });
    const job = await world.insertJob({ status: 'succeeded', webhook: { url: hook.url(), events: ['succeeded'] } });

    const id = await dispatcher.notify(world.db.prisma, job, 'succeeded');
    const row = await eventually(async () => {
      const delivery = await world.delivery(id!);
      return delivery.deliveredAt ? delivery : null;
    }, 'the retry after the timeout');

    expect(row.attempts).toBe(2);
    expect(hook.requests).toHaveLength(2);
    const retryLine = world.log.lines.find((line) => line.message === 'webhook delivery failed; will retry' && line.details.deliveryId === String(id));
    expect(retryLine?.details.error).toBe('timed out after 300 ms');
  });

  it('records the timeout as lastError when the receiver never answers', async () => {
    const hook = await receiver(() => 'hang');
    const { dispatcher } = world.start({ backoffMs: 10, maxAttempts: 2, timeoutMs: 200 });
    const job = await world.insertJob({ status: 'succeeded', webhook: { url: hook.url(), events: ['succeeded'] } });

    const id = await dispatcher.notify(world.db.prisma, job, 'succeeded');
    await eventually(async () => (await dispatcher.bull.getJobState(deliveryJobId(id!))) === 'failed', 'BullMQ to give up');
    const row = await world.delivery(id!);
    expect(row).toMatchObject({ attempts: 2, deliveredAt: null, lastError: 'timed out after 200 ms' });
    expect(hook.requests).toHaveLength(2);
  });

  it('gives up at once on a URL that is not http or https', async () => {
    const { dispatcher } = world.start({ backoffMs: 10, maxAttempts: 5 });
    const job = await world.insertJob({ status: 'succeeded', webhook: { url: 'ftp://127.0.0.1/hook', events: ['succeeded'] } });
    const id = await dispatcher.notify(world.db.prisma, job, 'succeeded');
    await eventually(async () => (await dispatcher.bull.getJobState(deliveryJobId(id!))) === 'failed', 'BullMQ to give up');
    const row = await world.delivery(id!);
    expect(row).toMatchObject({ attempts: 1, deliveredAt: null, lastError: 'only http and https URLs are delivered to, got ftp:' });
  });
});
