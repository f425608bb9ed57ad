// `npm run bench`: training throughput (samples/s) of the engine's backends beside NumPy and PyTorch, one table.
import { spawnSync } from 'node:child_process';
import { availableBackends, type Backend } from '@trainyard/backprop';
import { engineSamplesPerSecond, gemmGflops } from './engine.ts';
import { peerAvailable, peerSamplesPerSecond } from './peers.ts';
import { WORKLOADS } from './workloads.ts';

// OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (set in this environment for old OpenBLAS builds) halve its speed:
// the benchmark re-runs itself without them; tests and CI keep them.
if (process.env.OPENBLAS_CORETYPE !== undefined || process.env.OPENBLAS_L2_SIZE !== undefined) {
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_UNSET_OPENBLAS: '1' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const child = spawnSync(process.execPath, process.execArgv.concat(process.argv.slice(1)), { env, stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

const only = process.argv.slice(2);
const workloads = only.length ? WORKLOADS.filter((w) => only.some((o) => w.name.startsWith(o))) : WORKLOADS;
const backends = availableBackends();
const threadCounts = [1, 2];
const peers = (['numpy', 'torch'] as const).filter(peerAvailable);
const fmt = (n: number | null) => (n === null ? 'n/a' : n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));

console.log(`Trainyard engine benchmark — ${new Date().toISOString()}`);
console.log(process.env.BENCH_UNSET_OPENBLAS ? 'OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset for this run (they halve OpenBLAS speed here).' : 'OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE not set.');
console.log(`backends: ${backends.join(', ')}; peers: ${peers.join(', ') || 'none (no /usr/bin/python3 with numpy)'}\n`);

const rows: string[][] = [['workload', 'threads', ...backends.map((b) => `${b} samples/s`), ...backends.map((b) => `${b} GEMM GFLOP/s`), ...peers.map((p) => `${p} samples/s`), 'best ours / best peer']];
for (const workload of workloads) {
  for (const threads of threadCounts) {
    const ours: Partial<Record<Backend, number>> = {};
    const gflops: Partial<Record<Backend, number>> = {};
    for (const backend of backends) {
      // The js kernel is single-threaded: measure it once.
      if (backend === 'js' && threads > 1) continue;
      ours[backend] = await engineSamplesPerSecond(workload, backend, threads);
      gflops[backend] = gemmGflops(workload, backend, threads);
    }
    const peerRates = peers.map((peer) => peerSamplesPerSecond(peer, workload, threads, process.env));
    if (Object.keys(ours).length === 0) continue;
    const bestOurs = Math.max(...Object.values(ours));
    const bestPeer = Math.max(...peerRates.filter((r): r is number => r !== null));
    rows.push([
      workload.name, String(threads),
      ...backends.map((b) => fmt(ours[b] ?? null)),
      ...backends.map((b) => fmt(gflops[b] ?? null)),
      ...peerRates.map(fmt),
      Number.isFinite(bestPeer) ? `${(bestOurs / bestPeer).toFixed(2)}×` : 'n/a',
    ]);
  }
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const [i, row] of rows.entries()) {
  console.log(`| ${row.map((cell, c) => cell.padStart(widths[c])).join(' | ')} |`);
  if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
}
