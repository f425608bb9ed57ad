import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Backend } from '@trainyard/backprop';
import type { Workload } from './workloads.ts';

const script = fileURLToPath(new URL('./engine-job.ts', import.meta.url));

function job(workload: Workload, backend: Backend, threads: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, workload.name, backend, String(threads)], { stdio: ['ignore', 'pipe', 'ignore'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => {
      const value = Number(output.trim().split('\n').pop());
      resolve(code === 0 && Number.isFinite(value) ? value : null);
    });
  });
}

/**
 * Total samples/s of `jobs` training processes running at once, each on `threads` threads: how the
 * worker's two layouts compare (one job per core on one thread each, or one job on all cores).
 */
export async function concurrentSamplesPerSecond(workload: Workload, backend: Backend, jobs: number, threads: number): Promise<number | null> {
  const rates = await Promise.all(Array.from({ length: jobs }, () => job(workload, backend, threads)));
  return rates.every((r) => r !== null) ? rates.reduce((sum, r) => sum! + r!, 0) : null;
}
