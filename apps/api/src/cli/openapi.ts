// `npm run openapi -w @trainyard/api -- [FILE]`: the OpenAPI document the API serves, written to FILE or
// printed. Builds the app as `start:api` does (it needs Redis, never queries PostgreSQL) and closes it;
// no request is served, so `servers` names http://localhost:PORT.
import { writeFile } from 'node:fs/promises';
import { loadConfig } from '@trainyard/config';
import { createPrisma } from '@trainyard/db';
import { closeRedis, createRedis, JobQueue } from '@trainyard/queue';
import { buildApp } from '../app.ts';

const config = { ...loadConfig(), logLevel: 'warn' };
const prisma = createPrisma({ url: config.databaseUrl, poolSize: 1 });
const redis = createRedis(config.redisUrl, { maxRetriesPerRequest: 3 });
const queue = new JobQueue({ name: config.queueName, redisUrl: config.redisUrl });
try {
  const app = await buildApp({ config, prisma, redis, queue, bullQueue: queue.bull });
  await app.ready();
  const text = `${JSON.stringify(app.swagger(), null, 2)}\n`;
  await app.close();
  const file = process.argv[2];
  if (file === undefined) process.stdout.write(text);
  else await writeFile(file, text);
} finally {
  await queue.close();
  await closeRedis(redis);
  await prisma.$disconnect();
}
