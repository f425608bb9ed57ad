import type { Dataset } from './dataset.ts';

/** Copies the rows `order[start..start+rows)` of x (rows×features) into `out` (rows×features). */
export function gatherRows(x: Float32Array, features: number, order: Uint32Array, start: number, rows: number, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const source = order[start + r] * features;
    const target = r * features;
    for (let f = 0; f < features; f++) out[target + f] = x[source + f];
  }
}

/**
 * Targets of those rows as the output layer sees them (rows×outputs): one-hot class vectors, or for one
 * output unit the value itself (a 0/1 class for a sigmoid classifier, the target for regression).
 */
export function gatherTargets(data: Dataset, outputs: number, order: Uint32Array, start: number, rows: number, out: Float32Array): void {
  if (data.task === 'classification' && outputs > 1) {
    out.fill(0, 0, rows * outputs);
    for (let r = 0; r < rows; r++) out[r * outputs + data.y[order[start + r]]] = 1;
    return;
  }
  for (let r = 0; r < rows; r++) out[r] = data.y[order[start + r]];
}
