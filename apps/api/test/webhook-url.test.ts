// A webhook URL written with an internal address is refused when the job is submitted (422 on webhook.url),
// not only at every delivery; names are left to the delivery worker's check of what they resolve to.
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IRIS_JOB } from './fixtures.ts';
import { startTestApi, type TestApi } from './harness.ts';

describe('webhook URLs at submit time', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi('webhook_url');
  });
  afterAll(async () => {
    await api?.close();
  });

  const submit = (url: string, http = api.http) => http.post('/v1/jobs').set(api.alice.auth).send({ ...IRIS_JOB, webhook: { url } });

  it('answers 422 invalid_spec on webhook.url for loopback, private, link-local, unique-local and IPv4-mapped hosts, and localhost', async () => {
    const refused: [string, RegExp][] = [
      ['http://127.0.0.1:9/hooks', /127\.0\.0\.1 is a loopback address/],
      ['http://[::1]:8080/', /::1 is a loopback address/],
      ['http://[::ffff:127.0.0.1]/', /::ffff:7f00:1 is a loopback address/],
      ['http://2130706433/', /127\.0\.0\.1 is a loopback address/],
      ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a link-local/],
      ['https://10.0.0.5/hooks', /10\.0\.0\.5 is a private/],
      ['https://192.168.1.20/hooks', /is a private/],
      ['http://100.64.1.1/', /carrier-grade NAT/],
      ['http://[fd00::1]/', /unique-local/],
      ['http://0.0.0.0:3000/', /unspecified/],
      ['http://localhost:3000/hooks', /localhost is a loopback address/],
      ['http://hooks.localhost/', /hooks\.localhost is a loopback address/],
    ];
    for (const [url, reason] of refused) {
      const response = await submit(url);
      expect(response.status, `${url}: ${JSON.stringify(response.body)}`).toBe(422);
      expect(response.body.error.code).toBe('invalid_spec');
      expect(response.body.error.details).toEqual([{ path: 'webhook.url', message: expect.stringMatching(reason) }]);
      expect(response.body.error.message).toMatch(/TRAINYARD_WEBHOOK_ALLOW_PRIVATE, TRAINYARD_WEBHOOK_ALLOWED_CIDRS/);
    }
    expect(await api.prisma.job.count({ where: { tenantId: api.alice.id } })).toBe(0);
  });

  it('accepts public addresses and names (names are checked at delivery)', async () => {
    for (const url of ['https://hooks.example.com/trainyard', 'https://93.184.215.14/hooks', 'https://[2606:4700:4700::1111]/hooks']) {
      const response = await submit(url);
      expect(response.status, `${url}: ${JSON.stringify(response.body)}`).toBe(202);
    }
  });

  it('accepts internal addresses the operator allows', async () => {
    const ranges = supertest.agent((await api.buildAnother({ webhooks: { ...api.config.webhooks, allowedCidrs: ['127.0.0.0/8', '10.1.0.0/16'] } })).server);
    expect((await submit('http://127.0.0.1:9/hooks', ranges)).status).toBe(202);
    expect((await submit('http://localhost:9/hooks', ranges)).status).toBe(202);
    expect((await submit('http://10.1.2.3/hooks', ranges)).status).toBe(202);
    expect((await submit('http://10.2.0.1/hooks', ranges)).status).toBe(422);
    const everything = supertest.agent((await api.buildAnother({ webhooks: { ...api.config.webhooks, allowPrivate: true } })).server);
    expect((await submit('http://169.254.169.254/', everything)).status).toBe(202);
  });
});
