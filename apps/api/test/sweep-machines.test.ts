// One sweep spread over three workers that are three hosts: each worker runs in its own Linux network namespace
// (`ip netns`, a veth pair with its own addresses) and reaches PostgreSQL and Redis only over that virtual link,
// through a TCP forwarder this test runs on the host side of the veth (both servers listen on 127.0.0.1 only).
// One worker is SIGKILLed midway: every trial still ends succeeded, none finishes twice, the trials ran on more
// than one host, and the killed worker's trial was resumed on another. Needs root (`ip netns`); skips otherwise.
import { execFileSync } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApi, type TestApi } from './harness.ts';
import { startWorker, type TestWorker } from './worker-process.ts';

const WAIT = { timeout: 240_000, interval: 200 };
const WORKER_ENV = {
  WORKER_CONCURRENCY: '1', LOG_LEVEL: 'info', TRAINYARD_PROGRESS_INTERVAL_MS: '50', TRAINYARD_CHECKPOINT_INTERVAL_MS: '200',
  WORKER_LOCK_DURATION_MS: '2000', WORKER_STALLED_INTERVAL_MS: '1000', TRAINYARD_RECONCILE_INTERVAL_MS: '1000',
};
const HOSTS = [1, 2, 3].map((i) => ({ ns: `ty-sweep-h${i}`, hostIf: `tysh${i}`, nsIf: `tysn${i}`, hostAddr: `10.231.${i}.1`, nsAddr: `10.231.${i}.2` }));

vi.setConfig({ testTimeout: 240_000, hookTimeout: 60_000 });

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
const quietly = (f: () => unknown) => { try { f(); } catch { /* already gone */ } };

function netnsUsable(): string | null {
  if (process.getuid?.() !== 0) return 'not root';
  try {
    ip('netns', 'list');
    return null;
  } catch (error) {
    return `ip netns unusable: ${(error as Error).message}`;
  }
}
const unusable = netnsUsable();
if (unusable) console.warn(`sweep-machines: SKIPPED — workers in network namespaces need root and a working \`ip netns\` (${unusable})`);

/** Removes this suite's namespaces and veths (deleting a namespace deletes its end of the pair, and so the pair). */
function removeHosts(): void {
  for (const h of HOSTS) {
    quietly(() => ip('netns', 'del', h.ns));
    quietly(() => ip('link', 'del', h.hostIf));
  }
}

function addHosts(): void {
  removeHosts(); // leftovers of a crashed run
  for (const h of HOSTS) {
    ip('netns', 'add', h.ns);
    ip('link', 'add', h.hostIf, 'type', 'veth', 'peer', 'name', h.nsIf, 'netns', h.ns);
    ip('addr', 'add', `${h.hostAddr}/24`, 'dev', h.hostIf);
    ip('link', 'set', h.hostIf, 'up');
    ip('-n', h.ns, 'addr', 'add', `${h.nsAddr}/24`, 'dev', h.nsIf);
    ip('-n', h.ns, 'link', 'set', h.nsIf, 'up');
    ip('-n', h.ns, 'link', 'set', 'lo', 'up');
  }
}

/** A TCP forwarder on `address:port` to 127.0.0.1:`to`. */
async function forward(address: string, port: number, to: number, sockets: Set<Socket>): Promise<Server> {
  const server = createServer((inbound) => {
    const outbound = connect(to, '127.0.0.1');
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => { inbound.destroy(); outbound.destroy(); });
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, address, resolve));
  return server;
}

let api: TestApi;
const workers: TestWorker[] = [];
const servers: Server[] = [];
const sockets = new Set<Socket>();

describe.skipIf(unusable !== null)('one sweep over three workers on three hosts', () => {
  beforeAll(async () => {
    addHosts();
    api = await startTestApi('sweep_machines');
    const pg = new URL(api.db.url);
    const redis = new URL(api.config.redisUrl);
    for (const h of HOSTS) {
      servers.push(await forward(h.hostAddr, Number(pg.port || 5432), Number(pg.port || 5432), sockets));
      servers.push(await forward(h.hostAddr, Number(redis.port || 6379), Number(redis.port || 6379), sockets));
    }
  });

  afterAll(async () => {
    await Promise.allSettled(workers.map((w) => w.kill()));
    for (const s of sockets) s.destroy();
    await Promise.allSettled(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await api?.close();
    removeHosts();
  });

  it('spreads the trials over the hosts; a host SIGKILLed midway loses no trial and finishes none twice', async () => {
    // Which worker (host) printed "training started" for which job: the worker's own log, line by line.
    const startedOn = new Map<string, Set<string>>();
    const resumedFrom = new Map<string, number>();
    const hosts = HOSTS.map((h) => {
      const dbUrl = new URL(api.db.url);
      dbUrl.hostname = h.hostAddr;
      const redisUrl = new URL(api.config.redisUrl);
      redisUrl.hostname = h.hostAddr;
      const worker = startWorker(api, { ...WORKER_ENV, DATABASE_URL: dbUrl.toString(), REDIS_URL: redisUrl.toString() }, {
        netns: h.ns,
        onLine(line) {
          if (!line.includes('training started')) return;
          const { jobId, resumedFromStep } = JSON.parse(line) as { jobId: string; resumedFromStep?: number | null };
          if (resumedFromStep) resumedFrom.set(jobId, Math.max(resumedFrom.get(jobId) ?? 0, resumedFromStep));
          startedOn.set(jobId, (startedOn.get(jobId) ?? new Set()).add(h.ns));
        },
      });
      workers.push(worker);
      return { ...h, worker };
    });
    const logs = () => hosts.map((h) => `--- ${h.ns}\n${h.worker.log().slice(-800)}`).join('\n');
    // The namespaces really are separate hosts: 127.0.0.1 there has no PostgreSQL.
    expect(() => execFileSync('ip', ['netns', 'exec', HOSTS[0].ns, process.execPath, '-e',
      "const s=require('net').connect(5432,'127.0.0.1');s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(3))"], { stdio: 'ignore' })).toThrow();

    const response = await api.http.post('/v1/sweeps').set(api.alice.auth).send({
      base: { dataset: 'builtin:iris', model: { layers: [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }] }, training: { epochs: 200, batchSize: 4 } },
      parameters: { 'training.seed': { values: [1, 2, 3, 4, 5, 6] } },
      method: 'grid', parallelism: 3, objective: { metric: 'valAccuracy', goal: 'maximize' },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    const sweepId = response.body.id as string;
    const rowsOf = () => api.prisma.job.findMany({ where: { sweepId }, select: { id: true, status: true, epoch: true, attempts: true, stopReason: true } });

    // Kill a host that is training a trial that is well under way.
    let victim!: (typeof hosts)[number];
    let victimJob!: string;
    await vi.waitFor(async () => {
      const rows = await rowsOf();
      const row = rows.find((r) => r.status === 'running' && r.epoch >= 20 && startedOn.get(r.id)?.size === 1);
      if (!row) throw new Error(`no trial far enough yet ${JSON.stringify(rows)}\n${logs()}`);
      victimJob = row.id;
      victim = hosts.find((h) => startedOn.get(row.id)!.has(h.ns))!;
    }, WAIT);
    await victim.worker.kill();

    await vi.waitFor(async () => {
      const sweep = (await api.http.get(`/v1/sweeps/${sweepId}`).set(api.alice.auth)).body;
      if (!['succeeded', 'failed', 'cancelled'].includes(sweep.status)) throw new Error(`sweep is ${sweep.status} ${JSON.stringify(sweep.trials)}\n${logs()}`);
      expect(sweep.status).toBe('succeeded');
      expect(sweep.trials).toMatchObject({ total: 6, succeeded: 6, failed: 0, cancelled: 0, queued: 0, running: 0 });
    }, WAIT);

    const rows = await rowsOf();
    expect(rows).toHaveLength(6);
    for (const r of rows) expect(r.status).toBe('succeeded');
    // None finished twice: one terminal status event and one final snapshot per trial.
    const terminal = await api.prisma.jobEvent.findMany({ where: { job: { sweepId }, type: 'status' }, select: { jobId: true, data: true } });
    const ends = terminal.filter((e) => ['succeeded', 'failed', 'cancelled'].includes((e.data as { status: string }).status));
    expect(ends.map((e) => e.jobId).sort()).toEqual(rows.map((r) => r.id).sort());
    expect(await api.prisma.snapshot.count({ where: { job: { sweepId }, kind: 'final' } })).toBe(6);

    // More than one host trained, and the killed host's trial was resumed on another one.
    const ranOn = new Set([...startedOn.values()].flatMap((s) => [...s]));
    expect(ranOn.size).toBeGreaterThan(1);
    expect([...startedOn.get(victimJob)!].filter((ns) => ns !== victim.ns).length).toBeGreaterThan(0);
    expect(rows.find((r) => r.id === victimJob)!.attempts).toBeGreaterThan(1);
    expect(resumedFrom.get(victimJob), 'resumed from its checkpoint, not from step 0').toBeGreaterThan(0);
    console.log(`sweep-machines: trials by host ${JSON.stringify(Object.fromEntries(hosts.map((h) => [h.ns, [...startedOn].filter(([, s]) => s.has(h.ns)).length])))}; killed ${victim.ns} during ${victimJob}`);
  });
});
