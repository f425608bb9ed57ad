// A throwaway, migrated PostgreSQL schema per test suite, so suites can run side by side and repeatedly.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPrisma } from './client.ts';
import { resolveConnection } from './connection.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import { CONNECT_TIMEOUT_MS, migrate } from './migrate.ts';

export const TEST_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/test';
/** drop() waits this long for locks held by connections a test forgot to close, then fails loudly. */
export const DROP_LOCK_TIMEOUT_MS = 10_000;

export interface TestDatabase {
  /** DATABASE_URL's database with `?schema=<schema>`: hand it to child processes and createPrisma. */
  url: string;
  schema: string;
  prisma: PrismaClient;
  /** Disconnects `prisma` and drops the schema with everything in it. Idempotent. */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Defaults to DATABASE_URL, then TEST_DATABASE_URL; any `?schema=` in it is replaced. */
  url?: string;
  /** Readable part of the schema name, e.g. the suite's name. */
  prefix?: string;
  poolSize?: number;
}

export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const base = resolveConnection({ url: options.url ?? process.env.DATABASE_URL ?? TEST_DATABASE_URL });
  const prefix = (options.prefix ?? '').replace(/[^A-Za-z0-9_]/g, '_').slice(0, 30);
  const schema = `test_${prefix ? `${prefix}_` : ''}${randomBytes(6).toString('hex')}`;
  const url = withSchema(base.connectionString, schema);
  try {
    await migrate({ url });
  } catch (error) {
    await dropSchema(base.connectionString, schema).catch(() => {});
    throw error;
  }
  const prisma = createPrisma({ url, poolSize: options.poolSize });
  let dropping: Promise<void> | undefined;
  const drop = () => (dropping ??= disconnectAndDrop(prisma, base.connectionString, schema));
  return { url, schema, prisma, drop };
}

function withSchema(connectionString: string, schema: string): string {
  const url = new URL(connectionString);
  url.searchParams.set('schema', schema);
  return url.toString();
}

/** Both steps always run; the first failure is reported. */
async function disconnectAndDrop(prisma: PrismaClient, connectionString: string, schema: string): Promise<void> {
  const results = await Promise.allSettled([prisma.$disconnect()]);
  results.push(...(await Promise.allSettled([dropSchema(connectionString, schema)])));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

async function dropSchema(connectionString: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`SET lock_timeout = ${DROP_LOCK_TIMEOUT_MS}`);
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } catch (error) {
    throw new Error(`could not drop test schema ${schema}: ${(error as Error).message}`, { cause: error });
  } finally {
    await client.end().catch(() => {});
  }
}
