import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Workload } from './workloads.ts';

const PYTHON = '/usr/bin/python3';
const script = fileURLToPath(new URL('./peers.py', import.meta.url));

/** Whether the Python peer can run here (NumPy / PyTorch importable by Debian's python3). */
export function peerAvailable(peer: 'numpy' | 'torch'): boolean {
  return spawnSync(PYTHON, ['-c', `import ${peer}`], { stdio: 'ignore' }).status === 0;
}

/** samples/s of a Python peer, with BLAS threads pinned through the environment. */
export function peerSamplesPerSecond(peer: 'numpy' | 'torch', workload: Workload, threads: number, env: NodeJS.ProcessEnv): number | null {
  const result = spawnSync(PYTHON, [script, peer, JSON.stringify(workload), String(threads)], {
    env: { ...env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const value = Number(result.stdout.trim());
  return result.status === 0 && Number.isFinite(value) ? value : null;
}
