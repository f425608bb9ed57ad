// Status changes made by the worker reach the job's webhook: the delivery is recorded in the same
// transaction as the status move and sent by the worker process's delivery queue, signed with the tenant's secret.
import { createServer, type Server } from 'node:http';
import { verifyWebhookSignature } from '@trainyard/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from './world.ts';

interface Received {
  event: string;
  body: { event: string; job: { id: string; status: string } };
  signed: boolean;
}

describe('webhooks of status changes', () => {
  let world: World;
  let receiver: Server;
  let url: string;
  const received: Received[] = [];
  beforeAll(async () => {
    world = await createWorld('webhooks');
    receiver = createServer((request, response) => {
      let raw = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk)).on('end', () => {
        const signed = verifyWebhookSignature('test-secret', raw, String(request.headers['trainyard-signature']));
        received.push({ event: String(request.headers['trainyard-event']), body: JSON.parse(raw), signed });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`;
    // The receiver is on loopback: allowed as an operator would allow it (refused by default).
    await world.spawnWorker({ TRAINYARD_WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32' });
  });
  afterAll(async () => {
    await world?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('posts running and succeeded, signed, and records each delivery as delivered', async () => {
    const { id } = await world.submit({
      dataset: 'builtin:iris',
      layers: [{ units: 4, activation: 'relu' }, { units: 3, activation: 'softmax' }],
      training: { epochs: 2 },
      webhook: { url, events: ['running', 'succeeded'] },
    });
    await world.waitFor('two deliveries', async () => received.filter((r) => r.body.job.id === id).length >= 2);
    const mine = received.filter((r) => r.body.job.id === id);
    expect(mine.map((r) => r.event).sort()).toEqual(['running', 'succeeded']);
    for (const delivery of mine) {
      expect(delivery.signed).toBe(true);
      expect(delivery.body.event).toBe(delivery.event);
      expect(delivery.body.job.status).toBe(delivery.event);
    }
    await world.waitFor('deliveries recorded as delivered', async () =>
      (await world.db.prisma.webhookDelivery.count({ where: { jobId: id, deliveredAt: { not: null } } })) === 2);
  });

  it('records no delivery for a status the webhook does not list', async () => {
    const { id } = await world.submit({
      dataset: 'builtin:iris',
      layers: [{ units: 4, activation: 'relu' }, { units: 2, activation: 'softmax' }],
      webhook: { url, events: ['succeeded'] },
    }, { enqueue: false });
    await world.queue.enqueue(id);
    const job = await world.waitForJob(id, 'an end', (row) => row.finishedAt !== null);
    expect(job.errorCode).toBe('invalid_spec');
    expect(await world.db.prisma.webhookDelivery.count({ where: { jobId: id } })).toBe(0);
  });
});
