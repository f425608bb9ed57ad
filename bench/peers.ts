import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Workload } from './workloads.ts';

export type Peer = 'tfjs-cpu' | 'tfjs-wasm' | 'numpy' | 'torch';
export const PEER_LABEL: Record<Peer, string> = { 'tfjs-cpu': 'TF.js cpu', 'tfjs-wasm': 'TF.js wasm', numpy: 'NumPy', torch: 'PyTorch' };

const PYTHON = '/usr/bin/python3';
const PEER_TIMEOUT_MS = 180_000;
const pythonScript = fileURLToPath(new URL('./peers.py', import.meta.url));
const tfjsScript = fileURLToPath(new URL('./tfjs-peer.ts', import.meta.url));

/** The peers that can run here: TF.js always (bench dependency), Python ones when importable. */
export function availablePeers(): Peer[] {
  const python = (module: string) => spawnSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
  return [
    'tfjs-cpu',
    'tfjs-wasm',
    ...(python('numpy') ? (['numpy'] as const) : []),
    ...(python('torch') ? (['torch'] as const) : []),
  ];
}

/** samples/s of a peer in its own process (BLAS threads pinned through the environment), or null if it failed. */
export function peerSamplesPerSecond(peer: Peer, workload: Workload, threads: number, env: NodeJS.ProcessEnv): number | null {
  const json = JSON.stringify(workload);
  const [command, args] = peer.startsWith('tfjs')
    ? [process.execPath, ['--import', 'tsx', tfjsScript, peer.slice('tfjs-'.length), json, String(threads)]]
    : [PYTHON, [pythonScript, peer, json, String(threads)]];
  const result = spawnSync(command, args, {
    env: { ...env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) },
    encoding: 'utf8',
    timeout: PEER_TIMEOUT_MS,
  });
  // TF.js prints a banner first: the rate is the last line.
  const value = Number(result.stdout.trim().split('\n').pop());
  return result.status === 0 && Number.isFinite(value) ? value : null;
}
