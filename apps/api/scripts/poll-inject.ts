// Relative cost of an authenticated GET /v1/jobs/:id answered from the cache, in-process (app.inject, no
// sockets): `node --import tsx scripts/poll-inject.ts [requests]`. For the over-the-wire figure use bench/load.ts.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '@trainyard/config';
import { createTestDatabase } from '@trainyard/db';
import { closeRedis, createRedis, JobQueue } from '@trainyard/queue';
import { buildApp } from '../src/app.ts';
import { createTenant } from '../src/auth/tenants.ts';

const requests = Number(process.argv[2] ?? 20_000);
const db = await createTestDatabase({ prefix: 'api_poll_inject' });
const config = loadConfig({ DATABASE_URL: db.url, TRAINYARD_QUEUE: `poll-inject-${randomBytes(4).toString('hex')}`, LOG_LEVEL: 'silent' });
const redis = createRedis(config.redisUrl, { maxRetriesPerRequest: 3 });
const queue = new JobQueue({ name: config.queueName, redisUrl: config.redisUrl });
// A long job cache: every poll is a hit, as while a job does not change.
const app = await buildApp({ config: { ...config, jobCacheTtlMs: 3_600_000, authCacheTtlMs: 3_600_000 }, prisma: db.prisma, redis, queue, logger: false });
await app.ready();
try {
  const { apiKey } = await createTenant(db.prisma, 'bench');
  const headers = { authorization: `Bearer ${apiKey}` };
  const submitted = await app.inject({ method: 'POST', url: '/v1/jobs', headers, payload: { dataset: 'builtin:iris', model: { layers: [{ units: 3, activation: 'softmax' }] } } });
  const url = `/v1/jobs/${submitted.json().id}`;
  for (let i = 0; i < 2000; i++) await app.inject({ method: 'GET', url, headers }); // warm-up
  const start = performance.now();
  const cpu = process.cpuUsage(); // CPU time: steadier than wall time on a shared machine
  for (let i = 0; i < requests; i++) {
    const response = await app.inject({ method: 'GET', url, headers });
    if (response.statusCode !== 200) throw new Error(`poll answered ${response.statusCode}`);
  }
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const cpuUs = (used.user + used.system) / requests;
  console.log(`${requests} polls: ${cpuUs.toFixed(1)} µs CPU each; wall ${((ms * 1000) / requests).toFixed(1)} µs each, ${((requests / ms) * 1000).toFixed(0)}/s (inject)`);
} finally {
  await app.close();
  await queue.bull.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  await closeRedis(redis);
  await db.drop();
}
