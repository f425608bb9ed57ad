import type { Assignment } from './space.ts';

export class PathError extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path}: ${message}`);
  }
}

/**
 * The job body of one trial: a deep copy of `base` with each path set. Missing objects along a path are created
 * (`training.optimizer.learningRate` on a body without an optimizer); an array index must name an existing
 * element (`model.layers.5.units` on a three-layer model is an error, not a new layer).
 */
export function applyParameters<T extends object>(base: T, assignment: Assignment): T {
  const body = structuredClone(base) as Record<string, unknown>;
  for (const [path, value] of Object.entries(assignment)) {
    const keys = path.split('.');
    let node: Record<string, unknown> | unknown[] = body;
    keys.forEach((key, depth) => {
      const last = depth === keys.length - 1;
      const where = keys.slice(0, depth + 1).join('.');
      if (Array.isArray(node)) {
        const i = Number(key);
        if (!Number.isInteger(i) || i < 0 || i >= node.length) throw new PathError(path, `${where} is not an element of an array of ${node.length}`);
        if (last) node[i] = value;
        else node = descend(node[i], path, where);
        return;
      }
      if (last) node[key] = value;
      else {
        if (node[key] === undefined) node[key] = {};
        node = descend(node[key], path, where);
      }
    });
  }
  return body as T;
}

function descend(value: unknown, path: string, where: string): Record<string, unknown> | unknown[] {
  if (typeof value !== 'object' || value === null) throw new PathError(path, `${where} is ${JSON.stringify(value)}, not an object or array`);
  return value as Record<string, unknown> | unknown[];
}
