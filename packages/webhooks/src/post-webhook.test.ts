import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TestReceiver } from '../test/receiver.ts';
import { AddressPolicy } from './address-policy.ts';
import type { Resolver } from './guarded-lookup.ts';
import { postWebhook, type WebhookRequest } from './post-webhook.ts';
import { verifyWebhookSignature } from './signature.ts';

// The receivers listen on loopback: allowed here as an operator would allow them (TRAINYARD_WEBHOOK_ALLOWED_CIDRS).
const LOOPBACK_ALLOWED = new AddressPolicy({ allowPrivate: false, allowedCidrs: ['127.0.0.1/32'] });
const BASE: Omit<WebhookRequest, 'url'> = {
  body: '{"id":"1","event":"succeeded"}', secret: 's3cret', deliveryId: '1', event: 'succeeded', timeoutMs: 5_000, policy: LOOPBACK_ALLOWED,
};

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
  async function receiver(script: Parameters<typeof TestReceiver.start>[0], host?: string, port?: number) {
    const started = await TestReceiver.start(script, host, port);
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
    expect(await postWebhook({ ...BASE, url: hook.url() })).toEqual({ ok: false, retryable: true, error: 'HTTP 302 Found (redirects are not followed)' });
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

  describe('internal addresses (the default policy: public addresses only)', () => {
    const STRICT: Omit<WebhookRequest, 'url'> = { ...BASE, policy: undefined };
    const REFUSED = /; webhooks are not sent to internal networks unless the operator allows it \(TRAINYARD_WEBHOOK_ALLOW_PRIVATE, TRAINYARD_WEBHOOK_ALLOWED_CIDRS\)$/;
    /** A resolver that answers fixed addresses for every name, as a hostile or stale DNS could. */
    const answering = (...addresses: string[]): Resolver => (_hostname, _options, callback) =>
      callback(null, addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

    it('sends nothing to a listener on 127.0.0.1, however the address is written, and says why without retry', async () => {
      const hook = await receiver(() => 200);
      const outcome = await postWebhook({ ...STRICT, url: hook.url() });
      expect(outcome).toMatchObject({ ok: false, retryable: false });
      expect(outcome.ok === false && outcome.error).toMatch(/^refused: 127\.0\.0\.1 is a loopback address/);
      expect(outcome.ok === false && outcome.error).toMatch(REFUSED);
      for (const url of [`http://[::ffff:127.0.0.1]:${hook.port}/`, `http://2130706433:${hook.port}/`, `http://0x7f.1:${hook.port}/`, `http://[::1]:${hook.port}/`]) {
        expect(await postWebhook({ ...STRICT, url }), url).toMatchObject({ ok: false, retryable: false, error: expect.stringMatching(/^refused: .* is a loopback address/) });
      }
      expect(await postWebhook({ ...STRICT, url: 'http://169.254.169.254/latest/meta-data/' })).toMatchObject({
        ok: false, retryable: false, error: expect.stringMatching(/^refused: 169\.254\.169\.254 is a link-local/),
      });
      expect(hook.requests).toHaveLength(0);
    });

    it('refuses a name that resolves to loopback: localhost, and a public-looking name whose DNS answers 127.0.0.1', async () => {
      const hook = await receiver(() => 200);
      const local = await postWebhook({ ...STRICT, url: hook.url('/hook', 'localhost') });
      expect(local).toMatchObject({ ok: false, retryable: false });
      expect(local.ok === false && local.error).toMatch(/^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
      const rebound = await postWebhook({ ...STRICT, url: hook.url('/hook', 'hooks.example.com'), resolve: answering('127.0.0.1') });
      expect(rebound).toMatchObject({ ok: false, retryable: false, error: expect.stringMatching(/^refused: hooks\.example\.com resolves to 127\.0\.0\.1, a loopback address/) });
      expect(hook.requests).toHaveLength(0);
    });

    it('connects only to an allowed address among those a name resolves to', async () => {
      const hook = await receiver(() => 204);
      // Same port on 127.0.0.2, which the policy refuses: it must never be connected to, though DNS names it first.
      const trap = await receiver(() => 200, '127.0.0.2', hook.port);
      const outcome = await postWebhook({ ...BASE, url: hook.url('/hook', 'hooks.example.com'), resolve: answering('127.0.0.2', '169.254.169.254', '127.0.0.1') });
      expect(outcome).toEqual({ ok: true, status: 204 });
      expect(trap.requests).toHaveLength(0);
      expect(hook.requests).toHaveLength(1);
      expect(hook.requests[0].headers.host).toBe(`hooks.example.com:${hook.port}`);
    });

    it('does not follow a redirect from an allowed, public-looking host to 127.0.0.1', async () => {
      const target = await receiver(() => 200);
      const hook = await receiver(() => ({ status: 307, location: target.url('/internal') }), '127.0.0.2');
      const onlyTheHook = new AddressPolicy({ allowPrivate: false, allowedCidrs: ['127.0.0.2/32'] });
      for (const url of [hook.url(), hook.url('/hooks/trainyard', 'hooks.example.com')]) {
        expect(await postWebhook({ ...BASE, policy: onlyTheHook, url, resolve: answering('127.0.0.2') }), url).toEqual({
          ok: false, retryable: true, error: 'HTTP 307 Temporary Redirect (redirects are not followed)',
        });
      }
      expect(hook.requests).toHaveLength(2);
      expect(target.requests).toHaveLength(0);
    });

    it('delivers to internal addresses the operator allows: everything, or the listed ranges', async () => {
      const hook = await receiver(() => 200);
      expect(await postWebhook({ ...BASE, policy: new AddressPolicy({ allowPrivate: true, allowedCidrs: [] }), url: hook.url('/hook', 'localhost') })).toEqual({ ok: true, status: 200 });
      expect(await postWebhook({ ...BASE, policy: new AddressPolicy({ allowPrivate: false, allowedCidrs: ['127.0.0.0/8'] }), url: hook.url() })).toEqual({ ok: true, status: 200 });
      expect(hook.requests).toHaveLength(2);
    });
  });
});
