import type { Assignment, ParameterSpec, Space } from './space.ts';

/** The points a grid takes of one parameter: its values, or every integer of an intUniform range. */
function axis(spec: ParameterSpec): unknown[] {
  if ('values' in spec) return spec.values;
  if ('intUniform' in spec) return Array.from({ length: spec.intUniform[1] - spec.intUniform[0] + 1 }, (_, i) => spec.intUniform[0] + i);
  throw new Error('a grid axis must be values or intUniform');
}

/** Trials of the full grid: the product of the axes' lengths. */
export function gridSize(space: Space): number {
  return Object.values(space).reduce((size, spec) => size * axis(spec).length, 1);
}

/**
 * Trial `index` of the grid (0-based), in mixed radix with the first path varying slowest, so trials come in
 * the order one would write the nested loops; a trial index past the grid wraps around.
 */
export function gridPoint(space: Space, index: number): Assignment {
  const paths = Object.keys(space);
  const axes = paths.map((path) => axis(space[path]));
  const point: Assignment = {};
  let rest = index % gridSize(space);
  for (let p = paths.length - 1; p >= 0; p--) {
    point[paths[p]] = axes[p][rest % axes[p].length];
    rest = Math.floor(rest / axes[p].length);
  }
  return Object.fromEntries(paths.map((path) => [path, point[path]]));
}
