// A tenant's webhook URL is a request from inside the service's network: end to end (dispatcher → outbox →
// BullMQ → delivery worker), a listener on 127.0.0.1 receives nothing unless the operator allows it, and the
// delivery row says why it was given up.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliveryJobId } from '../src/delivery-queue.ts';
import { eventually, TestReceiver } from './receiver.ts';
import { World } from './world.ts';

describe('webhooks to internal addresses', () => {
  let world: World;
  const receivers: TestReceiver[] = [];
  async function receiver(script: Parameters<typeof TestReceiver.start>[0], host?: string) {
    const started = await TestReceiver.start(script, host);
    receivers.push(started);
    return started;
  }
  beforeAll(async () => {
    world = await World.create('webhook_internal');
  });
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((started) => started.close()));
  });
  afterAll(async () => {
    await world?.close();
  });

  /** Notifies, then waits for BullMQ to give the delivery up; returns its row. */
  async function givenUp(url: string, settings: Parameters<World['start']>[0]) {
    const { dispatcher } = world.start({ backoffMs: 10, maxAttempts: 5, ...settings });
    const job = await world.insertJob({ status: 'succeeded', webhook: { url, events: ['succeeded'] } });
    const id = await dispatcher.notify(world.db.prisma, job, 'succeeded');
    await eventually(async () => (await dispatcher.bull.getJobState(deliveryJobId(id!))) === 'failed', 'the delivery to be given up');
    return world.delivery(id!);
  }

  it('never sends to a listener on 127.0.0.1 by default: given up at the first attempt, the reason recorded', async () => {
    const hook = await receiver(() => 200);
    const row = await givenUp(hook.url(), { allowedCidrs: [] });
    expect(row.deliveredAt).toBeNull();
    // No retry can help: one attempt although five were allowed.
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/^refused: 127\.0\.0\.1 is a loopback address; webhooks are not sent to internal networks unless the operator allows it \(TRAINYARD_WEBHOOK_ALLOW_PRIVATE, TRAINYARD_WEBHOOK_ALLOWED_CIDRS\)$/);
    expect(world.log.lines.some((line) => line.message === 'webhook delivery given up' && line.details.deliveryId === String(row.id))).toBe(true);
    expect(hook.requests).toHaveLength(0);
  });

  it('never sends to localhost, a name that resolves to 127.0.0.1, nor to a link-local metadata address', async () => {
    const hook = await receiver(() => 200);
    const local = await givenUp(hook.url('/hooks', 'localhost'), { allowedCidrs: [] });
    expect(local).toMatchObject({ attempts: 1, deliveredAt: null });
    expect(local.lastError).toMatch(/^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
    const metadata = await givenUp('http://169.254.169.254/latest/meta-data/', { allowedCidrs: [] });
    expect(metadata.lastError).toMatch(/^refused: 169\.254\.169\.254 is a link-local/);
    expect(hook.requests).toHaveLength(0);
  });

  it('does not follow a redirect to 127.0.0.1 from an allowed host', async () => {
    const inside = await receiver(() => 200);
    const hook = await receiver(() => ({ status: 302, location: inside.url('/admin') }), '127.0.0.2');
    const row = await givenUp(hook.url(), { allowedCidrs: ['127.0.0.2/32'] });
    expect(row.lastError).toBe('HTTP 302 Found (redirects are not followed)');
    expect(row.attempts).toBe(5);
    expect(hook.requests).toHaveLength(5);
    expect(inside.requests).toHaveLength(0);
  });

  it('delivers to the listener once the operator allows it (TRAINYARD_WEBHOOK_ALLOW_PRIVATE or a CIDR list)', async () => {
    const hook = await receiver(() => 204);
    for (const settings of [{ allowPrivate: true, allowedCidrs: [] }, { allowedCidrs: ['127.0.0.0/8'] }]) {
      const { dispatcher } = world.start({ backoffMs: 10, ...settings });
      const job = await world.insertJob({ status: 'succeeded', webhook: { url: hook.url('/hooks', 'localhost'), events: ['succeeded'] } });
      const id = await dispatcher.notify(world.db.prisma, job, 'succeeded');
      const row = await eventually(async () => {
        const delivery = await world.delivery(id!);
        return delivery.deliveredAt ? delivery : null;
      }, 'the delivery to the allowed listener');
      expect(row).toMatchObject({ attempts: 1, lastError: null });
    }
    expect(hook.requests).toHaveLength(2);
  });
});
