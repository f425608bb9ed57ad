import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ensureDatabase, TEST_DATABASE_URL } from './test-database.ts';

const admin = new pg.Pool({ connectionString: process.env.DATABASE_URL ?? TEST_DATABASE_URL, max: 1 });
afterAll(() => admin.end());

async function schemaExists(schema: string): Promise<boolean> {
  const { rowCount } = await admin.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  return rowCount === 1;
}

describe('createTestDatabase', () => {
  it('gives each caller its own migrated schema, and drop() removes it', async () => {
    const [a, b] = await Promise.all([createTestDatabase({ prefix: 'tdb' }), createTestDatabase({ prefix: 'tdb' })]);
    try {
      expect(a.schema).not.toBe(b.schema);
      expect(a.schema).toMatch(/^test_tdb_[0-9a-f]{12}$/);
      expect(new URL(a.url).searchParams.get('schema')).toBe(a.schema);

      await a.prisma.tenant.create({ data: { id: 'ten_a', name: 'a', webhookSecret: 's' } });
      expect(await a.prisma.tenant.count()).toBe(1);
      expect(await b.prisma.tenant.count()).toBe(0);
      const { rows } = await admin.query(`SELECT id FROM "${a.schema}"."tenants"`);
      expect(rows).toEqual([{ id: 'ten_a' }]);
    } finally {
      await Promise.all([a.drop(), b.drop()]);
    }
    expect(await schemaExists(a.schema)).toBe(false);
    expect(await schemaExists(b.schema)).toBe(false);
    await expect(a.drop()).resolves.toBeUndefined(); // idempotent
  });

  it('creates the database of the URL when it is missing (once per process, however many suites ask at once)', async () => {
    const base = new URL(process.env.DATABASE_URL ?? TEST_DATABASE_URL);
    base.search = '';
    const name = `test_created_${randomBytes(4).toString('hex')}`;
    const url = new URL(base);
    url.pathname = `/${name}`;
    const databases = await Promise.all([createTestDatabase({ url: url.toString() }), createTestDatabase({ url: url.toString() })]);
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      expect(rowCount).toBe(1);
      expect(await databases[0].prisma.tenant.count()).toBe(0);
    } finally {
      await Promise.all(databases.map((database) => database.drop()));
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  });

  it('says which database it could not create, and why', async () => {
    const url = new URL(process.env.DATABASE_URL ?? TEST_DATABASE_URL);
    url.search = '';
    url.pathname = '/test_bad"name';
    url.username = 'no_such_role_for_tests';
    await expect(ensureDatabase(url.toString())).rejects.toThrow(/no_such_role_for_tests|test_bad/);
  });
});
