import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Backend } from '@trainyard/backprop';
import type { Workload } from './workloads.ts';

const script = fileURLToPath(new URL('./engine-job.ts', import.meta.url));
/** Seconds every job of a layout trains for, all starting together. */
const LAYOUT_SECONDS = 4;

interface Job {
  child: ChildProcess;
  ready: Promise<void>;
  result: Promise<number | null>;
}

function startJob(workload: Workload, backend: Backend, threads: number): Job {
  const child = spawn(process.execPath, ['--import', 'tsx', script, workload.name, backend, String(threads), String(LAYOUT_SECONDS)], { stdio: ['pipe', 'pipe', 'ignore'] });
  let output = '';
  let signalReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (signalReady = resolve));
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes('ready\n')) signalReady();
  });
  const result = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      signalReady();
      const value = Number(output.trim().split('\n').pop());
      resolve(code === 0 && Number.isFinite(value) ? value : null);
    }),
  );
  return { child, ready, result };
}

/**
 * Total samples/s of `jobs` training processes on `threads` threads each, warmed up, then released
 * together and timed over the same seconds: the worker's two layouts (one job per core on one thread
 * each, or one job on all cores) on this machine.
 */
export async function concurrentSamplesPerSecond(workload: Workload, backend: Backend, jobs: number, threads: number): Promise<number | null> {
  const started = Array.from({ length: jobs }, () => startJob(workload, backend, threads));
  await Promise.all(started.map((job) => job.ready));
  for (const job of started) job.child.stdin!.end('go\n');
  const rates = await Promise.all(started.map((job) => job.result));
  return rates.every((r) => r !== null) ? rates.reduce((sum, r) => sum! + r!, 0) : null;
}
