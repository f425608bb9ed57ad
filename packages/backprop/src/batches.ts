import type { Dataset } from './dataset.ts';

/** Copies the rows `order[start..start+rows)` of x (n features each) into `out` (rows×n). */
export function gatherRows(x: Float32Array, features: number, order: Uint32Array, start: number, rows: number, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const source = order[start + r] * features;
    const target = r * features;
    for (let f = 0; f < features; f++) out[target + f] = x[source + f];
  }
}

/** Targets for those rows as the output layer sees them: one-hot classes, or the value itself (1 output). */
export function gatherTargets(data: Dataset, outputs: number, order: Uint32Array, start: number, rows: number, out: Float32Array): void {
  const oneHot = data.task === 'classification' && outputs > 1;
  if (oneHot) out.fill(0, 0, rows * outputs);
  for (let r = 0; r < rows; r++) {
    const label = data.y[order[start + r]];
    if (oneHot) out[r * outputs + label] = 1;
    else out[r * outputs] = label;
  }
}

/** How many of the rows the output (rows×outputs) classifies right: argmax, or ≥ 0.5 for one sigmoid unit. */
export function countCorrect(data: Dataset, output: Float32Array, outputs: number, order: Uint32Array, start: number, rows: number): number {
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const label = data.y[order[start + r]];
    correct += predictedClass(output, outputs, r) === label ? 1 : 0;
  }
  return correct;
}

export function predictedClass(output: Float32Array, outputs: number, row: number): number {
  if (outputs === 1) return output[row] >= 0.5 ? 1 : 0;
  let best = 0;
  for (let j = 1; j < outputs; j++) if (output[row * outputs + j] > output[row * outputs + best]) best = j;
  return best;
}
