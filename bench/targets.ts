import type { Backend } from '@trainyard/backprop';
import type { Peer } from './peers.ts';

export interface Measured {
  workload: string;
  threads: number;
  ours: Partial<Record<Backend, number>>;
  gflops: Partial<Record<Backend, number>>;
  theirs: Partial<Record<Peer, number | null>>;
}

/** Issue 4's speed targets: our backend against a peer, on a workload, at least `factor` times faster. */
const TARGETS: { backend: Backend; workload: string; against: 'numpy' | 'best TF.js'; factor: number }[] = [
  { backend: 'native', workload: 'W1', against: 'numpy', factor: 1.15 },
  { backend: 'native', workload: 'W3', against: 'numpy', factor: 1.05 },
  { backend: 'native', workload: 'W2', against: 'numpy', factor: 5 },
  { backend: 'wasm', workload: 'W1', against: 'best TF.js', factor: 3 },
  { backend: 'wasm', workload: 'W3', against: 'best TF.js', factor: 3 },
];

/** One row per target and thread count: [target, measured ratio, yes/no]. */
export function checkTargets(measured: Measured[]): string[][] {
  const rows: string[][] = [];
  for (const target of TARGETS) {
    for (const m of measured.filter((m) => m.workload.startsWith(target.workload))) {
      const ours = m.ours[target.backend];
      const theirs = target.against === 'numpy' ? m.theirs.numpy : Math.max(m.theirs['tfjs-cpu'] ?? 0, m.theirs['tfjs-wasm'] ?? 0);
      const name = `${target.backend} ${target.workload} ≥ ${target.factor}× ${target.against === 'numpy' ? 'NumPy' : target.against}, ${m.threads} thread(s)`;
      if (!ours || !theirs) {
        rows.push([name, 'not measured', '-']);
        continue;
      }
      rows.push([name, `${(ours / theirs).toFixed(2)}×`, ours / theirs >= target.factor ? 'yes' : 'no']);
    }
  }
  return rows;
}
