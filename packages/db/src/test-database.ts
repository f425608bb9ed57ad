// A throwaway, migrated PostgreSQL schema per test suite, so suites can run side by side and repeatedly.
// The database itself (DATABASE_URL's, by default `test`) is created when it is missing: tests need nothing
// prepared but a running server.
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
  await ensureDatabase(base.connectionString);
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

const ensured = new Map<string, Promise<void>>();

/** Once per process and database; a failed attempt is tried again by the next caller. */
export function ensureDatabase(connectionString: string): Promise<void> {
  let pending = ensured.get(connectionString);
  if (pending === undefined) {
    pending = createDatabaseIfMissing(connectionString);
    ensured.set(connectionString, pending);
    pending.catch(() => ensured.delete(connectionString));
  }
  return pending;
}

/** PostgreSQL's invalid_catalog_name (the database does not exist), duplicate_database, unique_violation. */
const NO_SUCH_DATABASE = '3D000';
const CREATED_MEANWHILE = new Set(['42P04', '23505']);

async function createDatabaseIfMissing(connectionString: string): Promise<void> {
  const name = decodeURIComponent(new URL(connectionString).pathname.slice(1));
  // The usual case costs one connection and needs no right to create databases.
  try {
    await withClient(connectionString, async () => {});
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== NO_SUCH_DATABASE || name === '') throw error;
  }
  const maintenance = new URL(connectionString);
  maintenance.pathname = '/postgres';
  try {
    await withClient(maintenance.toString(), (client) => client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`));
  } catch (error) {
    // Suites in parallel processes race to create it: whoever loses finds it there.
    if (!CREATED_MEANWHILE.has((error as { code?: string }).code ?? '')) {
      throw new Error(`the test database "${name}" does not exist and could not be created: ${(error as Error).message}`, { cause: error });
    }
  }
}

async function withClient(connectionString: string, use: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => {});
  await client.connect();
  try {
    await use(client);
  } finally {
    await client.end().catch(() => {});
  }
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
