// The real API process: started from main.ts, stopped with SIGTERM while requests are in flight.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@trainyard/db';
import { closeRedis, createRedis } from '@trainyard/queue';

const API_DIR = fileURLToPath(new URL('..', import.meta.url));
const BOOTSTRAP_KEY = `ty_shutdown_${randomBytes(8).toString('hex')}`;

let db: TestDatabase;
let child: ChildProcess;
let port: number;
let output = '';
const queueName = `test-api-shutdown-${randomBytes(4).toString('hex')}`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return free;
}

const exited = () => new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

beforeAll(async () => {
  db = await createTestDatabase({ prefix: 'api_shutdown' });
  port = await freePort();
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: API_DIR,
    env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1', TRAINYARD_QUEUE: queueName, TRAINYARD_BOOTSTRAP_KEY: BOOTSTRAP_KEY, LOG_LEVEL: 'info', TRAINYARD_SSE_HEARTBEAT_MS: '60000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  await vi.waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`the API exited early:\n${output}`);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    },
    { timeout: 30_000, interval: 100 },
  );
});

afterAll(async () => {
  if (child?.exitCode === null) {
    child.kill('SIGKILL');
    await exited();
  }
  const redis = createRedis();
  await redis.del(...(await redis.keys(`bull:${queueName}:*`)), 'trainyard:none').catch(() => undefined);
  await closeRedis(redis);
  await db?.drop();
});

describe('the API process', () => {
  it('serves the dashboard at / and the API beside it', async () => {
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('Trainyard');
    expect((await fetch(`http://127.0.0.1:${port}/nothing-here`)).status).toBe(404);
  });
});

describe('SIGTERM', () => {
  it('stops accepting, finishes the request in flight, ends open streams and exits 0', async () => {
    const auth = `Bearer ${BOOTSTRAP_KEY}`;
    // An event stream that would stay open forever.
    const job = (await (await fetch(`http://127.0.0.1:${port}/v1/jobs`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ dataset: 'builtin:xor', model: { layers: [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'softmax' }] } }),
    })).json()) as { id: string };
    const stream = await fetch(`http://127.0.0.1:${port}/v1/jobs/${job.id}/events`, { headers: { Authorization: auth } });
    expect(stream.status).toBe(200);
    const streamText = stream.text();

    // A dataset upload whose body is still arriving when the signal comes.
    const body = JSON.stringify({ name: 'late', format: 'csv', content: 'a,b,label\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n', target: 'label', task: 'classification' });
    let inFlight: http.ClientRequest | undefined;
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(
        { host: '127.0.0.1', port, path: '/v1/datasets', method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        },
      );
      request.on('error', reject);
      request.write(body.slice(0, 20));
      inFlight = request;
    });
    await sleep(200); // let the server start reading the request
    child.kill('SIGTERM');
    // New connections are refused once the server stops listening.
    await vi.waitFor(async () => expect(await fetch(`http://127.0.0.1:${port}/healthz`).then(() => 'accepted', () => 'refused')).toBe('refused'), { timeout: 5000, interval: 20 });
    inFlight!.end(body.slice(20));
    const answered = await response;
    expect(answered.status, answered.body).toBe(201);
    expect(JSON.parse(answered.body).rows).toBe(4);
    await streamText; // the stream was ended by the server
    expect(await exited()).toBe(0);
    expect(await db.prisma.dataset.count({ where: { name: 'late' } })).toBe(1);
  });
});
