// Webhooks end to end: dispatcher → PostgreSQL outbox → BullMQ → delivery worker → a real HTTP receiver on
// loopback. Signatures are checked with an HMAC computed here, not with the package's own code.
import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, TestReceiver } from './receiver.ts';
import { World } from './world.ts';

describe('webhook delivery', () => {
  let world: World;
  let receiver: TestReceiver | undefined;
  beforeAll(async () => {
    world = await World.create('webhook_delivery');
  });
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });
  afterAll(async () => {
    await world?.close();
  });

  it('POSTs the job as JSON, signed t=<unix>,v1=HMAC-SHA256(secret, "<t>.<body>")', async () => {
    receiver = await TestReceiver.start(() => 204);
    const { dispatcher } = world.start({ backoffMs: 10 });
    const finishedAt = new Date('2025-03-04T05:06:07.089Z');
    const job = await world.insertJob({
      status: 'failed', errorCode: 'diverged', errorMessage: 'loss became NaN at epoch 2', finishedAt,
      metrics: { loss: 0.25, accuracy: 0.9 }, metadata: { customer: 'Zoë' },
      webhook: { url: receiver.url(), events: ['succeeded', 'failed'] },
    });
    const before = Math.floor(Date.now() / 1000);

    const deliveryId = await dispatcher.notify(world.db.prisma, job, 'failed');
    expect(deliveryId).not.toBeNull();
    await receiver.waitForRequests(1);
    const after = Math.floor(Date.now() / 1000);
    const [request] = receiver.requests;

    expect(request.method).toBe('POST');
    expect(request.path).toBe('/hooks/trainyard');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['trainyard-event']).toBe('failed');
    expect(request.headers['trainyard-delivery']).toBe(String(deliveryId));
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(request.headers['trainyard-signature']));
    expect(match).not.toBeNull();
    const t = Number(match![1]);
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(after);
    const expected = createHmac('sha256', world.secret).update(`${t}.${request.body}`).digest('hex');
    expect(match![2]).toBe(expected);

    const body = JSON.parse(request.body);
    expect(body).toMatchObject({
      id: String(deliveryId),
      event: 'failed',
      job: {
        id: job.id, status: 'failed', dataset: 'builtin:iris', error: { code: 'diverged', message: 'loss became NaN at epoch 2' },
        finishedAt: finishedAt.toISOString(), metrics: { loss: 0.25, accuracy: 0.9 }, metadata: { customer: 'Zoë' },
        progress: { epoch: 3, epochs: 3, step: 12, steps: 12 },
      },
    });
    expect(new Date(body.at).toISOString()).toBe(body.at);

    const row = await eventually(async () => {
      const delivery = await world.delivery(deliveryId!);
      return delivery.deliveredAt ? delivery : null;
    }, 'the delivery to be marked delivered');
    expect(row).toMatchObject({ jobId: job.id, tenantId: world.tenantId, event: 'failed', url: receiver.url(), attempts: 1, lastError: null });
    // What PostgreSQL keeps is what was sent.
    expect(row.body).toEqual(body);
  });

  it('sends only the events the job lists, and nothing for a job without a webhook', async () => {
    receiver = await TestReceiver.start(() => 200);
    const { dispatcher } = world.start({ backoffMs: 10 });
    const job = await world.insertJob({ status: 'succeeded', webhook: { url: receiver.url(), events: ['succeeded'] } });
    const silent = await world.insertJob({ status: 'succeeded', webhook: null });

    expect(await dispatcher.notify(world.db.prisma, job, 'running')).toBeNull();
    expect(await dispatcher.notify(world.db.prisma, job, 'cancelled')).toBeNull();
    expect(await dispatcher.notify(world.db.prisma, silent, 'succeeded')).toBeNull();
    // By id: the dispatcher reads the row itself.
    const sent = await dispatcher.notify(world.db.prisma, job.id, 'succeeded');
    await eventually(async () => (await world.delivery(sent!)).deliveredAt, 'the succeeded delivery');

    expect(receiver.requests.map((request) => request.headers['trainyard-event'])).toEqual(['succeeded']);
    const rows = await world.db.prisma.webhookDelivery.findMany({ where: { jobId: { in: [job.id, silent.id] } } });
    expect(rows.map((row) => row.event)).toEqual(['succeeded']);
  });

  it('uses the default events (succeeded, failed, cancelled) when a stored webhook names none', async () => {
    receiver = await TestReceiver.start(() => 200);
    const { dispatcher } = world.start({ backoffMs: 10 });
    const job = await world.insertJob({ status: 'cancelled', webhook: { url: receiver.url() } });
    expect(await dispatcher.notify(world.db.prisma, job, 'running')).toBeNull();
    const id = await dispatcher.notify(world.db.prisma, job, 'cancelled');
    await eventually(async () => (await world.delivery(id!)).deliveredAt, 'the cancelled delivery');
    expect(receiver.requests).toHaveLength(1);
  });

  it('never rejects: an unknown job is logged and answered with null', async () => {
    const { dispatcher } = world.start({}, { worker: false });
    await expect(dispatcher.notify(world.db.prisma, 'job_does_not_exist', 'succeeded')).resolves.toBeNull();
    expect(world.log.lines.some((line) => line.level === 'error' && line.details.jobId === 'job_does_not_exist')).toBe(true);
  });
});
