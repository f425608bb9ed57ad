import { Rng } from '@trainyard/backprop';
import type { Assignment, Space } from './space.ts';

/**
 * Trial `index` of a seeded random search: drawn from its own generator seeded by (seed, index), so any process
 * computes the same parameters for the same trial, in any order. uniform: lo + u·(hi − lo); logUniform:
 * exp of uniform in log space; intUniform: every integer of [lo, hi] equally likely; values: one of them.
 */
export function randomPoint(space: Space, seed: number, index: number): Assignment {
  const rng = new Rng(mix(seed, index));
  const point: Assignment = {};
  for (const [path, spec] of Object.entries(space)) {
    const u = rng.next();
    if ('values' in spec) point[path] = spec.values[Math.min(Math.floor(u * spec.values.length), spec.values.length - 1)];
    else if ('uniform' in spec) point[path] = spec.uniform[0] + u * (spec.uniform[1] - spec.uniform[0]);
    else if ('logUniform' in spec) point[path] = Math.exp(Math.log(spec.logUniform[0]) + u * (Math.log(spec.logUniform[1]) - Math.log(spec.logUniform[0])));
    else point[path] = spec.intUniform[0] + Math.min(Math.floor(u * (spec.intUniform[1] - spec.intUniform[0] + 1)), spec.intUniform[1] - spec.intUniform[0]);
  }
  return point;
}

/** One 32-bit seed from the sweep's seed and the trial's index (distinct trials, distinct streams). */
function mix(seed: number, index: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ (index >>> 0), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
