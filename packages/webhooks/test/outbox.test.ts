// PostgreSQL is the source of truth for deliveries: one recorded in a status change's transaction goes out
// once queued, a rolled-back one never exists, and one Redis never got is queued by `reconcile`.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { recordWebhookDelivery } from '../src/record-delivery.ts';
import { eventually, TestReceiver } from './receiver.ts';
import { World } from './world.ts';

describe('webhook outbox', () => {
  let world: World;
  let receiver: TestReceiver | undefined;
  beforeAll(async () => {
    world = await World.create('webhook_outbox');
  });
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });
  afterAll(async () => {
    await world?.close();
  });

  it('records inside a transaction: committed deliveries are queued by reconcile once, rolled-back ones never exist', async () => {
    receiver = await TestReceiver.start(() => 200);
    const { dispatcher } = world.start({ backoffMs: 10 });
    const job = await world.insertJob({ status: 'succeeded', webhook: { url: receiver.url(), events: ['succeeded'] } });

    const committed = await world.db.prisma.$transaction((tx) => recordWebhookDelivery(tx, job, 'succeeded'));
    await expect(
      world.db.prisma.$transaction(async (tx) => {
        await recordWebhookDelivery(tx, job, 'succeeded');
        throw new Error('the status change failed');
      }),
    ).rejects.toThrow('the status change failed');
    expect(await world.db.prisma.webhookDelivery.count({ where: { jobId: job.id } })).toBe(1);
    expect((await world.delivery(committed!)).body).toMatchObject({ id: String(committed), event: 'succeeded' });

    const first = await dispatcher.reconcile(world.db.prisma);
    expect(first.enqueued).toEqual([String(committed)]);
    await eventually(async () => (await world.delivery(committed!)).deliveredAt, 'the reconciled delivery');
    expect(receiver.requests).toHaveLength(1);
    expect((await dispatcher.reconcile(world.db.prisma)).enqueued).toEqual([]);
  });

  it('never blocks on a Redis that does not answer: the delivery is recorded, and reconcile sends it later', async () => {
    receiver = await TestReceiver.start(() => 200);
    const job = await world.insertJob({ status: 'cancelled', webhook: { url: receiver.url(), events: ['cancelled'] } });
    // Nothing listens on port 1.
    const { dispatcher: cutOff, queueName } = world.start({ enqueueTimeoutMs: 300 }, { worker: false, redisUrl: 'redis://127.0.0.1:1' });

    const id = await cutOff.notify(world.db.prisma, job, 'cancelled');
    expect(id).not.toBeNull();
    expect(world.log.lines.some((line) => line.level === 'warn' && (line.details.deliveryIds as string[] | undefined)?.includes(String(id)))).toBe(true);
    expect((await world.delivery(id!)).attempts).toBe(0);
    await expect(cutOff.reconcile(world.db.prisma)).rejects.toThrow('Redis did not answer in time');

    const { dispatcher } = world.start({ backoffMs: 10 }, { queueName });
    expect((await dispatcher.reconcile(world.db.prisma)).enqueued).toContain(String(id));
    await eventually(async () => (await world.delivery(id!)).deliveredAt, 'the delivery after Redis came back');
    expect(receiver.requests.map((request) => JSON.parse(request.body).id)).toEqual([String(id)]);
  });

  it('leaves deliveries older than the reconcile window alone', async () => {
    const { dispatcher } = world.start({}, { worker: false });
    const job = await world.insertJob({ status: 'succeeded', webhook: { url: 'http://127.0.0.1:9/old', events: ['succeeded'] } });
    const id = await recordWebhookDelivery(world.db.prisma, job, 'succeeded');
    const twoDaysLater = new Date(Date.now() + 48 * 3600 * 1000);
    expect((await dispatcher.reconcile(world.db.prisma, twoDaysLater)).enqueued).not.toContain(String(id));
  });
});
