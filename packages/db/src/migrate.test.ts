import { createHash, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { migrate } from './migrate.ts';
import { DEFAULT_MIGRATIONS_DIR } from './migration-files.ts';
import { MigrationError } from './migration-error.ts';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
const schemas: string[] = [];
const folders: string[] = [];

function freshSchema(): string {
  const schema = `test_migrate_${randomBytes(6).toString('hex')}`;
  schemas.push(schema);
  return schema;
}

/** A copy of the real migrations folder the test may add to or edit. */
async function migrationsCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'trainyard-migrations-'));
  folders.push(dir);
  await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

async function addMigration(dir: string, name: string, sql: string): Promise<void> {
  await mkdir(join(dir, name));
  await writeFile(join(dir, name, 'migration.sql'), sql);
}

async function localMigrationNames(dir = DEFAULT_MIGRATIONS_DIR): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

async function recorded(schema: string) {
  const { rows } = await admin.query(
    `SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count
       FROM "${schema}"."_prisma_migrations" ORDER BY migration_name`,
  );
  return rows;
}

async function tablesIn(schema: string): Promise<string[]> {
  const { rows } = await admin.query<{ table_name: string }>(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
    [schema],
  );
  return rows.map((row) => row.table_name);
}

afterEach(async () => {
  for (const schema of schemas.splice(0)) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});
afterAll(() => admin.end());

describe('migrate', () => {
  it('creates the schema, applies every migration and records it as Prisma does', async () => {
    const schema = freshSchema();
    const names = await localMigrationNames();
    const lines: string[] = [];

    const { applied } = await migrate({ url: DATABASE_URL, schema, log: (line) => lines.push(line) });

    expect(applied).toEqual(names);
    expect(lines.filter((line) => line.startsWith('applied '))).toHaveLength(names.length);
    const rows = await recorded(schema);
    expect(rows.map((row) => row.migration_name)).toEqual(names);
    for (const row of rows) {
      const file = await readFile(join(DEFAULT_MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(file).digest('hex'));
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    // Every @@map'd table of schema.prisma now exists in the target schema, and nothing leaked into public.
    const prismaSchema = await readFile(fileURLToPath(new URL('../../../prisma/schema.prisma', import.meta.url)), 'utf8');
    const mapped = [...prismaSchema.matchAll(/@@map\("([^"]+)"\)/g)].map((match) => match[1]);
    expect(await tablesIn(schema)).toEqual([...mapped, '_prisma_migrations'].sort());
  });

  it('is idempotent: a second run applies nothing and records nothing', async () => {
    const schema = freshSchema();
    await migrate({ url: DATABASE_URL, schema });
    const before = await recorded(schema);

    const { applied } = await migrate({ url: DATABASE_URL, schema });

    expect(applied).toEqual([]);
    expect(await recorded(schema)).toEqual(before);
  });

  it('applies each migration exactly once when several runners start at once', async () => {
    const schema = freshSchema();
    const dir = await migrationsCopy();
    await addMigration(dir, '99990101000000_second', 'CREATE TABLE "second" ("id" INTEGER NOT NULL);');
    await addMigration(dir, '99990102000000_third', 'INSERT INTO "second" VALUES (1);');
    const names = await localMigrationNames(dir);

    const results = await Promise.all(
      Array.from({ length: 5 }, () => migrate({ url: `${DATABASE_URL}?schema=${schema}`, migrationsDir: dir })),
    );

    const appliedByAll = results.flatMap((result) => result.applied).sort();
    expect(appliedByAll).toEqual(names);
    expect((await recorded(schema)).map((row) => row.migration_name)).toEqual(names);
    const { rows } = await admin.query(`SELECT count(*)::int AS n FROM "${schema}"."second"`);
    expect(rows[0].n).toBe(1);
  });

  it('rolls a failing migration back: no record, no partial tables, and a clear error', async () => {
    const schema = freshSchema();
    const dir = await migrationsCopy();
    const bad = '99990101000000_bad';
    await addMigration(dir, bad, 'CREATE TABLE "partial" ("id" INTEGER);\n\nCREATE TABLE "broken" ("id" NOSUCHTYPE);\n');

    const error = await migrate({ url: DATABASE_URL, schema, migrationsDir: dir }).catch((caught) => caught);

    expect(error).toBeInstanceOf(MigrationError);
    expect(error.code).toBe('migration_failed');
    expect(error.migration).toBe(bad);
    expect(error.message).toContain(bad);
    expect(error.message).toContain('nosuchtype');
    expect(error.message).toContain('line 3');
    expect((await recorded(schema)).map((row) => row.migration_name)).toEqual(await localMigrationNames());
    expect(await tablesIn(schema)).not.toContain('partial');

    // Once fixed, the same migration applies: nothing was left half-done.
    await writeFile(join(dir, bad, 'migration.sql'), 'CREATE TABLE "partial" ("id" INTEGER);\n');
    expect((await migrate({ url: DATABASE_URL, schema, migrationsDir: dir })).applied).toEqual([bad]);
  });

  it('refuses to run when an applied migration was edited, and applies nothing after it', async () => {
    const schema = freshSchema();
    const dir = await migrationsCopy();
    await migrate({ url: DATABASE_URL, schema, migrationsDir: dir });
    const [first] = await localMigrationNames(dir);
    await appendFile(join(dir, first, 'migration.sql'), '\n-- edited\n');
    await addMigration(dir, '99990101000000_later', 'CREATE TABLE "later" ("id" INTEGER);');

    const error = await migrate({ url: DATABASE_URL, schema, migrationsDir: dir }).catch((caught) => caught);

    expect(error).toBeInstanceOf(MigrationError);
    expect(error.code).toBe('checksum_mismatch');
    expect(error.migration).toBe(first);
    expect(error.message).toContain(first);
    expect(await tablesIn(schema)).not.toContain('later');
  });

  it('refuses to run while a previous migration is recorded as failed', async () => {
    const schema = freshSchema();
    const dir = await migrationsCopy();
    await addMigration(dir, '99990101000000_half', 'CREATE TABLE "half" ("id" INTEGER);');
    await migrate({ url: DATABASE_URL, schema, migrationsDir: dir });
    // What `prisma migrate deploy` leaves after a failure: a row never finished, never rolled back.
    await admin.query(`UPDATE "${schema}"."_prisma_migrations" SET finished_at = NULL, logs = 'boom'
                        WHERE migration_name = '99990101000000_half'`);
    await addMigration(dir, '99990102000000_after', 'CREATE TABLE "after" ("id" INTEGER);');

    const error = await migrate({ url: DATABASE_URL, schema, migrationsDir: dir }).catch((caught) => caught);

    expect(error).toBeInstanceOf(MigrationError);
    expect(error.code).toBe('failed_migration');
    expect(error.message).toContain('99990101000000_half');
    expect(error.message).toContain('boom');
    expect(await tablesIn(schema)).not.toContain('after');

    // Marked rolled back (prisma migrate resolve --rolled-back), it is applied again.
    await admin.query(`DROP TABLE "${schema}"."half"`);
    await admin.query(`UPDATE "${schema}"."_prisma_migrations" SET rolled_back_at = now()
                        WHERE migration_name = '99990101000000_half'`);
    const { applied } = await migrate({ url: DATABASE_URL, schema, migrationsDir: dir });
    expect(applied).toEqual(['99990101000000_half', '99990102000000_after']);
  });

  it('gives up with lock_timeout while another runner holds the lock', async () => {
    const holder = await admin.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(72707369)');
      const error = await migrate({ url: DATABASE_URL, schema: freshSchema(), lockTimeoutMs: 200 }).catch((e) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect(error.code).toBe('lock_timeout');
    } finally {
      await holder.query('SELECT pg_advisory_unlock(72707369)');
      holder.release();
    }
  });

  it('rejects a schema name that is not a plain identifier', async () => {
    await expect(migrate({ url: DATABASE_URL, schema: 'x"; DROP TABLE y; --' })).rejects.toThrow(/schema name/);
  });
});

describe('npm run migrate (the CLI)', () => {
  const run = promisify(execFile);
  const cwd = fileURLToPath(new URL('..', import.meta.url));

  it('migrates DATABASE_URL with ?schema=, then reports it up to date', async () => {
    const schema = freshSchema();
    const env = { ...process.env, DATABASE_URL: `${DATABASE_URL}?schema=${schema}` };
    const first = await run(process.execPath, ['--import', 'tsx', 'src/migrate-cli.ts'], { cwd, env });
    expect(first.stdout).toContain(`applied ${(await localMigrationNames()).length} migration(s)`);
    const second = await run(process.execPath, ['--import', 'tsx', 'src/migrate-cli.ts'], { cwd, env });
    expect(second.stdout).toContain('up to date');
  });

  it('exits 1 with the reason when the database cannot be migrated', async () => {
    const env = { ...process.env, DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/trainyard_no_such_db' };
    const error = await run(process.execPath, ['--import', 'tsx', 'src/migrate-cli.ts'], { cwd, env }).catch((e) => e);
    expect(error.code).toBe(1);
    expect(error.stderr).toContain('trainyard_no_such_db');
  });
});
