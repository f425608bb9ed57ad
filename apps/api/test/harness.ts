// A real API on a fresh PostgreSQL schema and a unique BullMQ queue name, for supertest.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import supertest from 'supertest';
import { loadConfig, type Config } from '@trainyard/config';
import { createTestDatabase, type PrismaClient, type TestDatabase } from '@trainyard/db';
import { closeRedis, createRedis, JobQueue } from '@trainyard/queue';
import type { Redis } from 'ioredis';
import { buildApp, type AppDeps } from '../src/app.ts';
import { createTenant } from '../src/auth/tenants.ts';

export const ADMIN_KEY = 'admin-key-for-tests';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Tenant {
  id: string;
  key: string;
  auth: { Authorization: string };
}

export interface TestApi {
  app: FastifyInstance;
  http: supertest.Agent;
  prisma: PrismaClient;
  db: TestDatabase;
  queue: JobQueue;
  redis: Redis;
  config: Config;
  /** Two tenants, for tenancy tests. */
  alice: Tenant;
  bob: Tenant;
  newTenant(name: string): Promise<Tenant>;
  /** Another app instance on the same database and Redis (e.g. to see revocation reach it). */
  buildAnother(overrides?: Partial<Config>, deps?: Partial<AppDeps>): Promise<FastifyInstance>;
  close(): Promise<void>;
}

/** env: extra environment variables for loadConfig (limits etc.). */
export async function startTestApi(name: string, env: Record<string, string> = {}): Promise<TestApi> {
  const db = await createTestDatabase({ prefix: `api_${name}` });
  // `env.REDIS_URL`: a private Redis (e.g. one the test flushes).
  const redisUrl = env.REDIS_URL ?? REDIS_URL;
  const config = loadConfig({
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    TRAINYARD_QUEUE: `test-api-${name}-${randomBytes(4).toString('hex')}`,
    TRAINYARD_ADMIN_KEY: ADMIN_KEY,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const redis = createRedis(redisUrl, { maxRetriesPerRequest: 3 });
  const queue = new JobQueue({ name: config.queueName, redisUrl });
  const apps: FastifyInstance[] = [];
  const build = async (overrides: Partial<Config> = {}, deps: Partial<AppDeps> = {}) => {
    const app = await buildApp({ config: { ...config, ...overrides }, prisma: db.prisma, redis, queue, bullQueue: queue.bull, logger: false, ...deps });
    await app.ready();
    apps.push(app);
    return app;
  };
  const app = await build();
  const newTenant = async (tenantName: string): Promise<Tenant> => {
    const { tenant, apiKey } = await createTenant(db.prisma, tenantName);
    return { id: tenant.id, key: apiKey, auth: { Authorization: `Bearer ${apiKey}` } };
  };
  const [alice, bob] = [await newTenant('alice'), await newTenant('bob')];
  return {
    app,
    http: supertest.agent(app.server),
    prisma: db.prisma,
    db,
    queue,
    redis,
    config,
    alice,
    bob,
    newTenant,
    buildAnother: build,
    async close() {
      await Promise.allSettled(apps.map((a) => a.close()));
      await queue.bull.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await closeRedis(redis);
      await db.drop();
    },
  };
}

/** Parses an SSE body into events. */
export function parseSse(text: string): { id?: string; event?: string; data?: unknown }[] {
  return text
    .split('\n\n')
    .filter((block) => block.split('\n').some((line) => line.startsWith('data:')))
    .map((block) => {
      const event: { id?: string; event?: string; data?: unknown } = {};
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) event.id = line.slice(4);
        else if (line.startsWith('event: ')) event.event = line.slice(7);
        else if (line.startsWith('data: ')) event.data = JSON.parse(line.slice(6));
      }
      return event;
    });
}
