// Applies prisma/migrations in order, each in its own transaction, recorded in Prisma's `_prisma_migrations`
// table so `prisma migrate status/deploy` agree with us. Concurrent runners serialise on an advisory lock.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { resolveConnection, type ConnectionOptions } from './connection.ts';
import { MigrationError } from './migration-error.ts';
import { readMigrations, type MigrationFile } from './migration-files.ts';

/** The key Prisma's schema engine locks, so this runner and `prisma migrate deploy` also exclude each other. */
const PRISMA_ADVISORY_LOCK_KEY = 72707369;
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;
export const CONNECT_TIMEOUT_MS = 10_000;

// Exactly the table Prisma creates.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrateOptions extends ConnectionOptions {
  /** Defaults to the repository's prisma/migrations. */
  migrationsDir?: string;
  log?: (line: string) => void;
  /** How long to wait for another runner to finish before giving up. */
  lockTimeoutMs?: number;
}

export async function migrate(options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const { connectionString, schema } = resolveConnection(options);
  const log = options.log ?? (() => {});
  const migrations = await readMigrations(options.migrationsDir);
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // A dropped connection also fails the query in flight; this only keeps the event from crashing the process.
  client.on('error', () => {});
  await client.connect();
  try {
    await acquireLock(client, options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
    if (schema !== undefined) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await client.query(`SET search_path TO "${schema}"`);
    }
    await client.query(CREATE_MIGRATIONS_TABLE);
    const pending = await pendingMigrations(client, migrations, log);
    for (const migration of pending) await applyMigration(client, migration, log);
    return { applied: pending.map((migration) => migration.name) };
  } finally {
    // Ending the session releases the advisory lock too.
    await client.end().catch(() => {});
  }
}

async function acquireLock(client: pg.Client, timeoutMs: number): Promise<void> {
  await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') {
      throw new MigrationError('lock_timeout', `another migration runner held the lock for over ${timeoutMs} ms`);
    }
    throw error;
  }
  await client.query('RESET lock_timeout');
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
}

/** The local migrations not yet applied, after checking the recorded history is one we can build on. */
async function pendingMigrations(
  client: pg.Client,
  migrations: MigrationFile[],
  log: (line: string) => void,
): Promise<MigrationFile[]> {
  const { rows } = await client.query<MigrationRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at, logs FROM "_prisma_migrations" ORDER BY started_at',
  );
  const local = new Map(migrations.map((migration) => [migration.name, migration]));
  const applied = new Set<string>();
  for (const row of rows) {
    if (row.rolled_back_at !== null) continue; // Prisma: a rolled-back attempt may be applied again
    if (row.finished_at === null) {
      throw new MigrationError(
        'failed_migration',
        `migration ${row.migration_name} started and never finished${row.logs ? ` (${row.logs.trim()})` : ''}; ` +
          `repair the database, then mark it with \`prisma migrate resolve --rolled-back ${row.migration_name}\``,
        row.migration_name,
      );
    }
    const file = local.get(row.migration_name);
    if (file === undefined) {
      log(`note: applied migration ${row.migration_name} is not in the migrations folder`);
    } else if (file.checksum !== row.checksum) {
      throw new MigrationError(
        'checksum_mismatch',
        `migration ${row.migration_name} was edited after it was applied (checksum ${row.checksum} in the database, ` +
          `${file.checksum} on disk); add a new migration instead of editing an applied one`,
        row.migration_name,
      );
    }
    applied.add(row.migration_name);
  }
  return migrations.filter((migration) => !applied.has(migration.name));
}

async function applyMigration(client: pg.Client, migration: MigrationFile, log: (line: string) => void): Promise<void> {
  log(`applying ${migration.name}`);
  const startedAt = new Date();
  await client.query('BEGIN');
  try {
    await client.query(migration.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations"
         (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
       VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, $4, 1)`,
      [randomUUID(), migration.checksum, migration.name, startedAt],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw new MigrationError(
      'migration_failed',
      `migration ${migration.name} failed and was rolled back: ${describePgError(error, migration.sql)}`,
      migration.name,
      { cause: error },
    );
  }
  log(`applied ${migration.name} (${Date.now() - startedAt.getTime()} ms)`);
}

/** The server's message, plus the line of migration.sql it points at. */
function describePgError(error: unknown, sql: string): string {
  const { message, position } = error as { message?: string; position?: string };
  const offset = Number(position);
  if (!Number.isInteger(offset) || offset < 1) return message ?? String(error);
  const line = sql.slice(0, offset - 1).split('\n').length;
  return `${message} (migration.sql line ${line})`;
}
