// `npm start` against PostgreSQL and Redis that do not answer: a message naming which, at which URL and how
// to start it, exit 1, and no stack trace.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const DATABASE_URL = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
/** A line of a JavaScript stack trace. */
const STACK_LINE = /^\s+at .+[:(]/m;

function npmStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['start'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

/** A port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('npm start when a service does not answer', () => {
  it('names PostgreSQL and Redis, their URLs and how to start them, and exits 1 without a stack trace', async () => {
    const [pgPort, redisPort] = [await closedPort(), await closedPort()];
    const databaseUrl = `postgresql://postgres:secret@127.0.0.1:${pgPort}/trainyard`;
    const { code, output } = await npmStart({ DATABASE_URL: databaseUrl, REDIS_URL: `redis://127.0.0.1:${redisPort}` });
    expect(code).toBe(1);
    expect(output).toContain(`PostgreSQL does not answer at postgresql://postgres:***@127.0.0.1:${pgPort}/trainyard (connect ECONNREFUSED`);
    expect(output).toContain(`Redis does not answer at redis://127.0.0.1:${redisPort} (connect ECONNREFUSED`);
    expect(output).toMatch(/Start it:\n\s+.*postgresql.*\n\s+docker run .* postgres:16/);
    expect(output).toMatch(/Start it:\n\s+.*redis.*\n\s+docker run .* redis:7/);
    expect(output).not.toContain('secret');
    expect(output).not.toMatch(STACK_LINE);
  });

  it('names only the one that does not answer', async () => {
    const redisPort = await closedPort();
    const redisDown = await npmStart({ DATABASE_URL, REDIS_URL: `redis://127.0.0.1:${redisPort}` });
    expect(redisDown.code).toBe(1);
    expect(redisDown.output).toContain(`Redis does not answer at redis://127.0.0.1:${redisPort}`);
    expect(redisDown.output).not.toContain('PostgreSQL');

    const pgPort = await closedPort();
    const pgDown = await npmStart({ DATABASE_URL: `postgresql://postgres@localhost:${pgPort}/trainyard`, REDIS_URL });
    expect(pgDown.code).toBe(1);
    expect(pgDown.output).toContain(`PostgreSQL does not answer at postgresql://postgres@localhost:${pgPort}/trainyard`);
    expect(pgDown.output).not.toContain('Redis');
    expect(pgDown.output).not.toMatch(STACK_LINE);
  });

  it('says a PostgreSQL that answers refused the login, and what to check', async () => {
    const { code, output } = await npmStart({ DATABASE_URL: 'postgresql://no_such_role_for_tests@127.0.0.1:5432/trainyard', REDIS_URL });
    expect(code).toBe(1);
    expect(output).toContain('PostgreSQL at postgresql://no_such_role_for_tests@127.0.0.1:5432/trainyard answered but refused: role "no_such_role_for_tests" does not exist');
    expect(output).toContain('Check the user, password and database in DATABASE_URL.');
    expect(output).not.toMatch(STACK_LINE);
  });
});
