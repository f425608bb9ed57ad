// `npm run bench:load`: drives a running Trainyard over loopback, then waits for every accepted job to end.
//   Phase 1: authenticated polling of one finished job (nothing training) with autocannon.
//   Phase 2: N clients submitting small jobs, M dashboards polling and S listening on SSE while workers train.
// Options: --url (TRAINYARD_URL, http://127.0.0.1:3000) --key (TRAINYARD_API_KEY, ty_local_development_key)
//          --clients 4 --pollers 8 --sse 4 --seconds 20 --poll-seconds 10 --poll-connections 32 --warmup-seconds 3
// The poll phase first warms the API up (JIT, connection pools, caches) for --warmup-seconds without recording,
// then measures; an empty route (/healthz) is measured the same way beside it, for scale.
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.TRAINYARD_URL ?? 'http://127.0.0.1:3000' },
    key: { type: 'string', default: process.env.TRAINYARD_API_KEY ?? 'ty_local_development_key' },
    clients: { type: 'string', default: '4' },
    pollers: { type: 'string', default: '8' },
    sse: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '20' },
    'poll-seconds': { type: 'string', default: '10' },
    'poll-connections': { type: 'string', default: '32' },
    'warmup-seconds': { type: 'string', default: '3' },
  },
});
const base = values.url!;
const auth = { authorization: `Bearer ${values.key}` };
const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);
const smallJob = (i: number) => ({
  dataset: 'builtin:xor',
  model: { layers: [{ units: 8, activation: 'tanh' }, { units: 2, activation: 'softmax' }] },
  training: { epochs: 5, batchSize: 32, seed: i },
  snapshots: { everyEpochs: 5, keep: 1 },
});

class Recorder {
  readonly latencies: number[] = [];
  readonly statuses = new Map<number, number>();
  record(ms: number, status: number): void {
    this.latencies.push(ms);
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }
  percentile(p: number): number {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
  }
  count5xx(): number {
    return [...this.statuses].filter(([s]) => s >= 500 || s === 0).reduce((sum, [, n]) => sum + n, 0);
  }
}

async function timed(recorder: Recorder, url: string, init?: RequestInit): Promise<Response | null> {
  const t0 = performance.now();
  try {
    const response = await fetch(url, { ...init, headers: { ...auth, ...(init?.headers ?? {}) } });
    const body = await response.arrayBuffer();
    recorder.record(performance.now() - t0, response.status);
    return new Response(body, { status: response.status });
  } catch {
    recorder.record(performance.now() - t0, 0);
    return null;
  }
}

async function submit(recorder: Recorder, i: number): Promise<string | null> {
  const response = await timed(recorder, `${base}/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(smallJob(i)) });
  if (!response || response.status !== 202) return null;
  return ((await response.json()) as { id: string }).id;
}

async function waitForEnd(id: string, deadline: number): Promise<string> {
  while (Date.now() < deadline) {
    const response = await fetch(`${base}/v1/jobs/${id}`, { headers: auth });
    if (response.status === 404) return 'missing';
    const job = (await response.json()) as { status: string };
    if (TERMINAL.has(job.status)) return job.status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return 'not ended';
}

async function pollPhase(): Promise<string[][]> {
  const recorder = new Recorder();
  const id = await submit(recorder, 0);
  if (!id) throw new Error(`cannot submit a job to ${base}: is the service running and the key valid?`);
  await waitForEnd(id, Date.now() + 120_000);
  const connections = Number(values['poll-connections']);
  const measure = async (url: string, headers: Record<string, string>, duration: number) =>
    autocannon({ url, headers, connections, duration });
  const row = (name: string, result: autocannon.Result) => [
    name, String(result.requests.total), result.requests.average.toFixed(0),
    result.latency.p50.toFixed(1), result.latency.p99.toFixed(1), String(result.non2xx + result.errors), String(result['5xx'] ?? 0),
  ];
  const warmup = Number(values['warmup-seconds']);
  if (warmup > 0) await measure(`${base}/v1/jobs/${id}`, auth, warmup);
  const poll = await measure(`${base}/v1/jobs/${id}`, auth, Number(values['poll-seconds']));
  if (warmup > 0) await measure(`${base}/healthz`, {}, warmup);
  const empty = await measure(`${base}/healthz`, {}, Number(values['poll-seconds']));
  return [row(`poll (idle, autocannon ×${connections})`, poll), row(`GET /healthz, for scale (×${connections})`, empty)];
}

async function floodPhase(): Promise<{ rows: string[][]; accepted: string[]; rejected: number; sseEvents: number }> {
  const submits = new Recorder();
  const polls = new Recorder();
  const accepted: string[] = [];
  let rejected = 0;
  let sseEvents = 0;
  const until = Date.now() + Number(values.seconds) * 1000;
  const started = performance.now();
  let counter = 1;
  const submitters = Array.from({ length: Number(values.clients) }, async () => {
    while (Date.now() < until) {
      const id = await submit(submits, counter++);
      if (id) accepted.push(id);
      else rejected++;
    }
  });
  const pollers = Array.from({ length: Number(values.pollers) }, async () => {
    while (Date.now() < until) {
      if (accepted.length === 0) { await new Promise((r) => setTimeout(r, 50)); continue; }
      await timed(polls, `${base}/v1/jobs/${accepted[Math.floor(Math.random() * accepted.length)]}`);
    }
  });
  const listeners = Array.from({ length: Number(values.sse) }, async () => {
    while (Date.now() < until) {
      if (accepted.length === 0) { await new Promise((r) => setTimeout(r, 50)); continue; }
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), Math.max(0, until - Date.now()));
      try {
        const response = await fetch(`${base}/v1/jobs/${accepted[accepted.length - 1]}/events`, { headers: auth, signal: controller.signal });
        for await (const chunk of response.body!) sseEvents += (Buffer.from(chunk).toString().match(/^event:/gm) ?? []).length;
      } catch { /* aborted at the end of the phase */ }
      clearTimeout(timer);
    }
  });
  await Promise.all([...submitters, ...pollers, ...listeners]);
  const seconds = (performance.now() - started) / 1000;
  const row = (name: string, r: Recorder) => [name, String(r.latencies.length), (r.latencies.length / seconds).toFixed(0), r.percentile(50).toFixed(1), r.percentile(99).toFixed(1), String([...r.statuses].filter(([s]) => s >= 400 || s === 0).reduce((a, [, n]) => a + n, 0)), String(r.count5xx())];
  return { rows: [row('submit (while training)', submits), row('poll (while training)', polls)], accepted, rejected, sseEvents };
}

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  rows.forEach((row, i) => {
    console.log(`| ${row.map((cell, c) => cell.padStart(widths[c])).join(' | ')} |`);
    if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  });
}

console.log(`Trainyard load test against ${base} — ${new Date().toISOString()}`);
const header = ['phase', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', '5xx'];
const pollRows = await pollPhase();
const flood = await floodPhase();
printTable([header, ...pollRows, ...flood.rows]);
console.log(`\nwaiting for ${flood.accepted.length} accepted jobs to end…`);
const deadline = Date.now() + 10 * 60_000;
const ends = new Map<string, number>();
for (const id of flood.accepted) {
  const status = await waitForEnd(id, deadline);
  ends.set(status, (ends.get(status) ?? 0) + 1);
}
const lost = (ends.get('missing') ?? 0) + (ends.get('not ended') ?? 0);
console.log(`jobs accepted: ${flood.accepted.length}; rejected at submit (429 limits): ${flood.rejected}; SSE events received: ${flood.sseEvents}`);
console.log(`ended: ${[...ends].map(([s, n]) => `${s} ${n}`).join(', ')}; lost: ${lost}`);
process.exitCode = lost > 0 ? 1 : 0;
