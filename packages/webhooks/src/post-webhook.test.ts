import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TestReceiver } from '../test/receiver.ts';
import { postWebhook, type WebhookRequest } from './post-webhook.ts';
import { verifyWebhookSignature } from './signature.ts';

const BASE: Omit<WebhookRequest, 'url'> = { body: '{"id":"1","event":"succeeded"}', secret: 's3cret', deliveryId: '1', event: 'succeeded', timeoutMs: 5_000 };

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('postWebhook', () => {
  const receivers: TestReceiver[] = [];
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  });
  async function receiver(script: Parameters<typeof TestReceiver.start>[0]) {
    const started = await TestReceiver.start(script);
    receivers.push(started);
    return started;
  }

  it('answers ok for any 2xx and sends the body byte for byte with a verifiable signature', async () => {
    const hook = await receiver((index) => [200, 201, 204, 299][index]);
    for (const status of [200, 201, 204, 299]) {
      expect(await postWebhook({ ...BASE, url: hook.url() })).toEqual({ ok: true, status });
    }
    const [request] = hook.requests;
    expect(request.body).toBe(BASE.body);
    expect(verifyWebhookSignature(BASE.secret, request.body, String(request.headers['trainyard-signature']))).toBe(true);
    expect(request.headers['user-agent']).toMatch(/^Trainyard-Webhooks\//);
  });

  it('reports non-2xx answers as retryable failures with the status', async () => {
    const hook = await receiver((index) => [400, 500][index]);
    expect(await postWebhook({ ...BASE, url: hook.url() })).toEqual({ ok: false, retryable: true, error: 'HTTP 400 Bad Request' });
    expect(await postWebhook({ ...BASE, url: hook.url() })).toEqual({ ok: false, retryable: true, error: 'HTTP 500 Internal Server Error' });
  });

  it('does not follow redirects', async () => {
    const target = await receiver(() => 200);
    const hook = await receiver(() => ({ status: 302, location: target.url('/elsewhere') }));
    expect(await postWebhook({ ...BASE, url: hook.url() })).toEqual({ ok: false, retryable: true, error: 'HTTP 302 Found' });
    expect(target.requests).toHaveLength(0);
  });

  it('names a refused connection and a timeout', async () => {
    const port = await closedPort();
    const refused = await postWebhook({ ...BASE, url: `http://127.0.0.1:${port}/hook` });
    expect(refused).toMatchObject({ ok: false, retryable: true });
    expect(refused.ok === false && refused.error).toMatch(/^network error: .*ECONNREFUSED/);

    const hook = await receiver(() => 'hang');
    expect(await postWebhook({ ...BASE, url: hook.url(), timeoutMs: 150 })).toEqual({ ok: false, retryable: true, error: 'timed out after 150 ms' });
  });

  it('refuses, without retry, URLs that are not http or https', async () => {
    expect(await postWebhook({ ...BASE, url: 'file:///etc/passwd' })).toEqual({
      ok: false, retryable: false, error: 'only http and https URLs are delivered to, got file:',
    });
    expect(await postWebhook({ ...BASE, url: 'not a url' })).toEqual({ ok: false, retryable: false, error: 'not a valid URL: not a url' });
  });
});
