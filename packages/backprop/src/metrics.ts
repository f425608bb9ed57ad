import type { Dataset } from './dataset.ts';

/** One epoch's averages: over its training batches, and over the validation rows when there are any. */
export interface EpochMetrics {
  loss: number;
  /** Classification only. */
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  /** Regression only, in the target's units. */
  rmse?: number;
  mae?: number;
  r2?: number;
  valRmse?: number;
  valMae?: number;
  valR2?: number;
}

/** The class an output row (rows×outputs) predicts: the arg-max, or p ≥ 0.5 for one sigmoid unit. */
export function predictedClass(output: Float32Array, outputs: number, row: number): number {
  if (outputs === 1) return output[row] >= 0.5 ? 1 : 0;
  const base = row * outputs;
  let best = 0;
  for (let j = 1; j < outputs; j++) if (output[base + j] > output[base + best]) best = j;
  return best;
}

/** How many of the rows `order[start..start+rows)` the output (rows×outputs) classifies right. */
export function countCorrect(data: Dataset, output: Float32Array, outputs: number, order: Uint32Array, start: number, rows: number): number {
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    if (predictedClass(output, outputs, r) === data.y[order[start + r]]) correct++;
  }
  return correct;
}
