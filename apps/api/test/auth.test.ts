import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import supertest from 'supertest';
import { ADMIN_KEY, startTestApi, type TestApi } from './harness.ts';
import { fill, v1Routes } from './routes.ts';
import { ensureBootstrapKey } from '../src/auth/tenants.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi('auth');
});
afterAll(async () => api?.close());

const admin = { Authorization: `Bearer ${ADMIN_KEY}` };

describe('API keys on every /v1 route', () => {
  it('lists the routes to walk', () => {
    expect(v1Routes(api.app).length).toBeGreaterThanOrEqual(17);
  });

  it.each([
    ['missing', undefined],
    ['not Bearer', 'Basic dXNlcjpwYXNzd29yZA=='],
    ['malformed', 'Bearer'],
    ['unknown', 'Bearer ty_00000000000000000000000000000000'],
  ])('answers 401 for a %s key', async (_label, header) => {
    for (const route of v1Routes(api.app)) {
      const request = api.http[route.method as 'get'](fill(route.path, 'job_x'));
      if (header !== undefined) request.set('Authorization', header);
      const response = await request;
      expect(response.status, `${route.method} ${route.path}`).toBe(401);
      expect(response.body.error.code).toBe('unauthorized');
      expect(typeof response.body.error.message).toBe('string');
    }
  });

  it('stops accepting a revoked key at once, on every API instance', async () => {
    const carol = await api.newTenant('carol');
    const other = await api.buildAnother();
    const otherHttp = supertest(other.server);
    // Both instances have now cached the key.
    expect((await api.http.get('/v1/jobs').set(carol.auth)).status).toBe(200);
    expect((await otherHttp.get('/v1/jobs').set(carol.auth)).status).toBe(200);

    const key = await api.prisma.apiKey.findFirstOrThrow({ where: { tenantId: carol.id } });
    const revoked = await api.http.delete(`/admin/keys/${key.id}`).set(admin);
    expect(revoked.status).toBe(200);
    expect(revoked.body.id).toBe(key.id);

    expect((await api.http.get('/v1/jobs').set(carol.auth)).status).toBe(401);
    // The other instance hears of it over Redis pub/sub (its cache TTL of 5 s would be the slow path).
    await vi.waitFor(async () => expect((await otherHttp.get('/v1/jobs').set(carol.auth)).status).toBe(401), { timeout: 3000, interval: 20 });
    // Revoking twice is harmless and keeps the first time.
    const again = await api.http.delete(`/admin/keys/${key.id}`).set(admin);
    expect(again.status).toBe(200);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
  });
});

describe('admin routes', () => {
  it('create a tenant whose key works, and more keys for it', async () => {
    const created = await api.http.post('/admin/tenants').set(admin).send({ name: 'dave' });
    expect(created.status).toBe(201);
    expect(created.body.tenant).toEqual({ id: expect.stringMatching(/^ten_/), name: 'dave' });
    expect(created.body.apiKey).toMatch(/^ty_[A-Za-z0-9]{32}$/);
    expect((await api.http.get('/v1/datasets').set('Authorization', `Bearer ${created.body.apiKey}`)).status).toBe(200);

    const second = await api.http.post(`/admin/tenants/${created.body.tenant.id}/keys`).set(admin);
    expect(second.status).toBe(201);
    expect(second.body.id).toMatch(/^key_/);
    expect(second.body.apiKey).not.toBe(created.body.apiKey);
    expect((await api.http.get('/v1/datasets').set('Authorization', `Bearer ${second.body.apiKey}`)).status).toBe(200);
    // Only the hash is stored.
    const stored = await api.prisma.apiKey.findUniqueOrThrow({ where: { id: second.body.id } });
    expect(JSON.stringify(stored)).not.toContain(second.body.apiKey);
  });

  it('answer 404 for unknown tenants and keys, 400 for a bad body', async () => {
    expect((await api.http.post('/admin/tenants/ten_nope/keys').set(admin)).status).toBe(404);
    expect((await api.http.delete('/admin/keys/key_nope').set(admin)).status).toBe(404);
    const bad = await api.http.post('/admin/tenants').set(admin).send({ name: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('name');
  });

  it('answer 401 without the admin key, and a tenant key is not one', async () => {
    for (const headers of [{}, { Authorization: 'Bearer wrong-admin-key' }, api.alice.auth]) {
      const response = await api.http.post('/admin/tenants').set(headers).send({ name: 'eve' });
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('unauthorized');
    }
    const basic = `Basic ${Buffer.from(`admin:${ADMIN_KEY}`).toString('base64')}`;
    expect((await api.http.post('/admin/tenants').set('Authorization', basic).send({ name: 'eve' })).status).toBe(201);
  });

  it('do not exist without TRAINYARD_ADMIN_KEY', async () => {
    const closed = supertest((await api.buildAnother({ adminKey: null })).server);
    for (const [method, path] of [['post', '/admin/tenants'], ['post', '/admin/tenants/x/keys'], ['delete', '/admin/keys/x'], ['get', '/admin/queues']] as const) {
      const response = await closed[method](path).set(admin).send({ name: 'x' });
      expect(response.status, path).toBe(404);
      expect(response.body.error.code).toBe('not_found');
    }
  });

  it('guard Bull Board with the admin key', async () => {
    expect((await api.http.get('/admin/queues')).status).toBe(401);
    const board = await api.http.get('/admin/queues').set(admin);
    expect(board.status).toBe(200);
    expect(board.text).toContain('<');
  });
});

describe('bootstrap key', () => {
  it('is created once for tenant "default", works, and stays revoked once revoked', async () => {
    const key = 'ty_bootstrap_key_for_tests';
    expect(await ensureBootstrapKey(api.prisma, key)).toBe('created');
    expect(await ensureBootstrapKey(api.prisma, key)).toBe('exists');
    const tenant = await api.prisma.tenant.findUniqueOrThrow({ where: { id: 'ten_default' } });
    expect(tenant.name).toBe('default');
    expect((await api.http.get('/v1/jobs').set('Authorization', `Bearer ${key}`)).status).toBe(200);

    const row = await api.prisma.apiKey.findFirstOrThrow({ where: { tenantId: 'ten_default' } });
    await api.http.delete(`/admin/keys/${row.id}`).set(admin).expect(200);
    expect(await ensureBootstrapKey(api.prisma, key)).toBe('revoked');
    expect((await api.http.get('/v1/jobs').set('Authorization', `Bearer ${key}`)).status).toBe(401);
  });
});

describe('rate limit per API key', () => {
  it('answers 429 with Retry-After past TRAINYARD_RATE_LIMIT_PER_MINUTE, per key', async () => {
    const limited = supertest((await api.buildAnother({ limits: { ...api.config.limits, rateLimitPerMinute: 3 } })).server);
    const grace = await api.newTenant('grace');
    const statuses: number[] = [];
    // Seven requests span at most one minute boundary, so one window holds at least four of them.
    for (let i = 0; i < 7; i++) statuses.push((await limited.get('/v1/jobs').set(grace.auth)).status);
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses).toContain(429);
    const refused = await limited.get('/v1/jobs').set(grace.auth);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await limited.get('/v1/jobs').set(api.alice.auth)).status).toBe(200);
  });
});
