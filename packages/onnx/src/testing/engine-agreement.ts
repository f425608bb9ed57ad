// The check every suite makes: the exported model in ONNX Runtime against the engine's predict() on the
// same raw rows, encoded as the service's /predict encodes them.
import { predict, type SavedModel } from '@trainyard/backprop';
import { encodeRows, type FittedPreprocessing } from '@trainyard/tabular';
import { InferenceSession, type Tensor } from 'onnxruntime-node';
import { expect } from 'vitest';
import { exportOnnx } from '../export-onnx.ts';
import { columnFeeds, matrixFeeds, type RawRow } from './onnx-feeds.ts';

/** The contract's tolerance: |onnx − predict| ≤ 1e-5 · max(1, |predict|). */
export const TOLERANCE = 1e-5;

let largest = { difference: 0, where: 'none yet' };

/** The largest relative difference any check of this test file has seen, and where. */
export function largestDifference(): { difference: number; where: string } {
  return largest;
}

export interface OnnxRun {
  outputs: Float32Array;
  units: number;
  labels?: string[];
}

export async function runOnnx(bytes: Uint8Array, feeds: Record<string, Tensor>): Promise<OnnxRun> {
  const session = await InferenceSession.create(bytes);
  try {
    const result = await session.run(feeds);
    const outputs = result.outputs.data as Float32Array;
    const labels = result.label ? Array.from(result.label.data as string[]) : undefined;
    return { outputs, units: result.outputs.dims[1] as number, ...(labels ? { labels } : {}) };
  } finally {
    await session.release();
  }
}

/** The engine's label of each row, as /predict gives it: arg-max, or p ≥ 0.5 for one sigmoid unit. */
export function engineLabels(classes: string[], y: ArrayLike<number>, units: number): string[] {
  const rows = y.length / units;
  return Array.from({ length: rows }, (_, r) => {
    if (units === 1) return classes[y[r] >= 0.5 ? 1 : 0];
    let best = 0;
    for (let j = 1; j < units; j++) if (y[r * units + j] > y[r * units + best]) best = j;
    return classes[best];
  });
}

/**
 * Exports `model`, runs it on raw `rows` (or, for a model without preprocessing, on the matrix `x`), and
 * expects predict()'s outputs within TOLERANCE and the same labels. Returns the run and the largest difference.
 */
export async function expectEngineAgreement(
  name: string, model: SavedModel, input: { rows: RawRow[] } | { x: Float32Array; rows: number },
): Promise<OnnxRun & { difference: number; reference: Float32Array }> {
  let x: Float32Array;
  let feeds: Record<string, Tensor>;
  let count: number;
  if ('x' in input) {
    ({ x, rows: count } = input);
    feeds = matrixFeeds(model, x, count);
  } else {
    const preprocessing = model.preprocessing as FittedPreprocessing;
    const encoded = encodeRows(preprocessing, input.rows);
    if ('problems' in encoded) throw new Error(`${name}: the rows do not encode: ${JSON.stringify(encoded.problems)}`);
    x = encoded.x;
    count = input.rows.length;
    feeds = columnFeeds(preprocessing, input.rows);
  }
  const reference = predict(model, x, count);
  const run = await runOnnx(exportOnnx(model), feeds);
  expect(run.outputs.length, `${name}: ONNX outputs [${count}, ${run.units}] vs predict's ${reference.length} values`).toBe(reference.length);
  let difference = 0;
  let worst = -1;
  for (let i = 0; i < reference.length; i++) {
    const d = Math.abs(run.outputs[i] - reference[i]) / Math.max(1, Math.abs(reference[i]));
    if (!(d <= difference)) {
      difference = d;
      worst = i;
    }
  }
  if (difference > largest.difference) largest = { difference, where: `${name}, row ${Math.floor(worst / run.units)}` };
  expect(difference, `${name}: worst at value ${worst}: onnx ${run.outputs[worst]} vs predict ${reference[worst]}`).toBeLessThanOrEqual(TOLERANCE);
  if (model.classes) {
    expect(run.labels, `${name}: labels`).toEqual(engineLabels(model.classes, reference, run.units));
    // And the label is the class of ONNX's own outputs.
    expect(run.labels).toEqual(engineLabels(model.classes, run.outputs, run.units));
  } else {
    expect(run.labels).toBeUndefined();
  }
  return { ...run, difference, reference };
}
