/** How one path of the job body varies across trials. */
export type ParameterSpec =
  | { values: unknown[] }
  | { uniform: [number, number] }
  | { logUniform: [number, number] }
  | { intUniform: [number, number] };

/** Paths of the job body (dots; array indices as numbers) → how each varies. */
export type Space = Record<string, ParameterSpec>;

/** One trial's parameters, by path. */
export type Assignment = Record<string, unknown>;

export interface SpaceIssue {
  path: string;
  message: string;
}

const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.([A-Za-z_][A-Za-z0-9_]*|\d+))*$/;

/** What is wrong with a space for the given method (empty when it is usable). */
export function checkSpace(space: Space, method: 'grid' | 'random'): SpaceIssue[] {
  const issues: SpaceIssue[] = [];
  const entries = Object.entries(space);
  if (entries.length === 0) issues.push({ path: 'parameters', message: 'names no parameter' });
  for (const [path, spec] of entries) {
    const at = `parameters.${path}`;
    if (!PATH.test(path)) issues.push({ path: at, message: 'is not a dotted path of the job body (e.g. training.optimizer.learningRate, model.layers.0.units)' });
    const kinds = Object.keys(spec);
    if (kinds.length !== 1) {
      issues.push({ path: at, message: 'must have exactly one of values, uniform, logUniform, intUniform' });
      continue;
    }
    if ('values' in spec) {
      if (!Array.isArray(spec.values) || spec.values.length === 0) issues.push({ path: `${at}.values`, message: 'must be a non-empty array' });
      continue;
    }
    const [kind, range] = Object.entries(spec)[0] as [string, [number, number]];
    if (!Array.isArray(range) || range.length !== 2 || !range.every(Number.isFinite)) {
      issues.push({ path: `${at}.${kind}`, message: 'must be [lo, hi] of two finite numbers' });
      continue;
    }
    const [lo, hi] = range;
    if (lo > hi) issues.push({ path: `${at}.${kind}`, message: `lo ${lo} is above hi ${hi}` });
    if (kind === 'logUniform' && lo <= 0) issues.push({ path: `${at}.${kind}`, message: 'logUniform needs lo > 0' });
    if (kind === 'intUniform' && !(Number.isInteger(lo) && Number.isInteger(hi))) issues.push({ path: `${at}.${kind}`, message: 'intUniform needs integer bounds' });
    if (method === 'grid' && (kind === 'uniform' || kind === 'logUniform')) {
      issues.push({ path: `${at}.${kind}`, message: `a grid cannot enumerate a continuous ${kind} range: use values or intUniform, or method "random"` });
    }
  }
  return issues;
}
