// `npm run keys`: the real command against a real database.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@trainyard/db';
import { hashApiKey } from '../src/auth/api-key.ts';

const API_DIR = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'api_keys_cli' });
});
afterAll(async () => db?.drop());

async function keys(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/keys.ts', ...args], { cwd: API_DIR, env: { ...process.env, DATABASE_URL: db.url } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const keyIn = (stdout: string) => /api key (ty_[A-Za-z0-9]{32})/.exec(stdout)?.[1];

describe('npm run keys', () => {
  it('creates a tenant with a key, then more keys for it, storing only hashes', async () => {
    const first = await keys('create', '--tenant', 'acme');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('created tenant');
    const key = keyIn(first.stdout)!;
    const stored = await db.prisma.apiKey.findUniqueOrThrow({ where: { hash: hashApiKey(key) }, include: { tenant: true } });
    expect(stored.tenant.name).toBe('acme');

    const second = await keys('create', '--tenant', 'acme');
    expect(second.code).toBe(0);
    expect(keyIn(second.stdout)).not.toBe(key);
    expect(await db.prisma.tenant.count({ where: { name: 'acme' } })).toBe(1);
    expect(await db.prisma.apiKey.count({ where: { tenantId: stored.tenantId } })).toBe(2);

    const listed = await keys('list', '--tenant', 'acme');
    expect(listed.stdout.trim().split('\n')).toHaveLength(2);
    expect(listed.stdout).not.toContain(key);
  });

  it('revokes a key', async () => {
    const created = await keys('create', '--tenant', 'revokable');
    const row = await db.prisma.apiKey.findUniqueOrThrow({ where: { hash: hashApiKey(keyIn(created.stdout)!) } });
    const revoked = await keys('revoke', row.id);
    expect(revoked.code).toBe(0);
    expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { id: row.id } })).revokedAt).not.toBeNull();
    expect((await keys('list', '--tenant', 'revokable')).stdout).toContain('revoked');
  });

  it('explains its usage and fails on bad commands', async () => {
    const unknown = await keys('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('usage');
    expect((await keys('revoke', 'key_nope')).code).toBe(2);
    expect((await keys('create', '--tenant-id', 'ten_nope')).code).toBe(2);
  });
});
