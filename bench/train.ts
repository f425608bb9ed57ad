// `npm run bench`: training throughput (samples/s) of the engine's backends at 1 and 2 threads beside
// TensorFlow.js, NumPy and PyTorch, GEMM GFLOP/s, and the targets as measured ratios.
import { spawnSync } from 'node:child_process';
import { availableBackends, type Backend } from '@trainyard/backprop';
import { concurrentSamplesPerSecond } from './concurrency.ts';
import { engineSamplesPerSecond, gemmGflops } from './engine.ts';
import { availablePeers, PEER_LABEL, peerSamplesPerSecond, type Peer } from './peers.ts';
import { printTable, ratio, rate } from './table.ts';
import { checkTargets, type Measured } from './targets.ts';
import { WORKLOADS } from './workloads.ts';

// OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (set in this environment) halve OpenBLAS's speed on this
// processor: the benchmark re-runs itself without them, for every backend and peer; tests and CI keep them.
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
const peers = availablePeers();
const THREAD_COUNTS = [1, 2];
const SINGLE_THREADED_PEERS: Peer[] = ['tfjs-cpu', 'tfjs-wasm'];

console.log(`Trainyard engine benchmark, ${new Date().toISOString()}, Node ${process.version}`);
console.log(process.env.BENCH_UNSET_OPENBLAS ? 'OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE were unset for this run (they halve OpenBLAS speed here).' : 'OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE are not set.');
console.log(`Engine: the real Trainer, SGD, softmax cross-entropy, shuffled synthetic data. Backends: ${backends.join(', ')}. Peers: ${peers.map((p) => PEER_LABEL[p]).join(', ')}.`);
console.log('Every step, ours and the peers\', gathers a minibatch of a data set reshuffled each epoch, then forward, loss, backward, SGD update.');
console.log('Each rate is the best of 5 windows of ~0.4 s after a warm-up one; peers run in their own processes with the same thread count.');
console.log('The js kernel and TF.js (cpu, and wasm: its threads need Web Workers) are single-threaded in Node: measured at 1 thread, shown for 2.\n');

const measured: Measured[] = [];
for (const workload of workloads) {
  for (const threads of THREAD_COUNTS) {
    const ours: Partial<Record<Backend, number>> = {};
    const gflops: Partial<Record<Backend, number>> = {};
    for (const backend of backends) {
      if (backend === 'js' && threads > 1) {
        ours.js = measured.find((m) => m.workload === workload.name && m.threads === 1)?.ours.js;
        continue;
      }
      ours[backend] = await engineSamplesPerSecond(workload, backend, threads);
      gflops[backend] = await gemmGflops(workload, backend, threads);
    }
    const theirs: Partial<Record<Peer, number | null>> = {};
    const single = measured.find((m) => m.workload === workload.name && m.threads === 1);
    for (const peer of peers) {
      // Single-threaded in Node whatever they are told (TF.js-wasm's threads need Web Workers): measured once.
      if (single && SINGLE_THREADED_PEERS.includes(peer)) theirs[peer] = single.theirs[peer];
      else theirs[peer] = peerSamplesPerSecond(peer, workload, threads, process.env);
    }
    measured.push({ workload: workload.name, threads, ours, gflops, theirs });
    process.stderr.write(`measured ${workload.name} at ${threads} thread(s)\n`);
  }
}

const best = (values: (number | null | undefined)[]) => Math.max(0, ...values.filter((v): v is number => typeof v === 'number'));
console.log('Training throughput, samples/s (higher is better)\n');
printTable([
  ['workload', 'threads', ...backends, ...peers.map((p) => PEER_LABEL[p]), 'best ours / best peer'],
  ...measured.map((m) => [
    m.workload, String(m.threads),
    ...backends.map((b) => rate(m.ours[b])),
    ...peers.map((p) => rate(m.theirs[p])),
    ratio(best(Object.values(m.ours)), best(Object.values(m.theirs))),
  ]),
]);
console.log('\nGEMM GFLOP/s over the products of one training step (forward NT, gradient TN, back-propagation NN)\n');
printTable([
  ['workload', 'threads', ...backends],
  ...measured.map((m) => [m.workload, String(m.threads), ...backends.map((b) => (m.gflops[b] === undefined ? '-' : m.gflops[b]!.toFixed(1)))]),
]);
console.log('\nWorker layout on this machine: total samples/s of 2 jobs on 1 thread each vs 1 job on 2 threads\n');
const layouts: string[][] = [['workload', 'backend', '2 jobs × 1 thread', '1 job × 2 threads', 'ratio']];
for (const workload of workloads.filter((w) => !w.name.startsWith('W2'))) {
  for (const backend of backends.filter((b) => b !== 'js')) {
    const perCore = await concurrentSamplesPerSecond(workload, backend, 2, 1);
    const allCores = await concurrentSamplesPerSecond(workload, backend, 1, 2);
    layouts.push([workload.name, backend, rate(perCore), rate(allCores), ratio(perCore ?? 0, allCores ?? 0)]);
  }
}
printTable(layouts);
console.log('\nTargets (issue 4), as ratios measured in this run\n');
printTable([['target', 'measured', 'met'], ...checkTargets(measured)]);
