import { predict, type SavedModel } from '@trainyard/backprop';
import { ApiError, type ErrorDetail } from '@trainyard/contracts';

const MAX_WIDTH_DETAILS = 10;

/**
 * Runs the model on raw rows (the engine applies the model's own normalisation). Rows must have the
 * model's input width (422 `invalid_input` naming the rows that do not).
 * Labels: the arg-max class, or for one sigmoid unit over two classes, classes[p ≥ 0.5].
 */
export function predictRows(model: SavedModel, inputs: number[][], maxRows: number): { outputs: number[][]; labels?: string[] } {
  if (inputs.length > maxRows) {
    throw new ApiError('limit_exceeded', `${inputs.length} rows; at most ${maxRows} per request (TRAINYARD_MAX_PREDICT_ROWS)`, [
      { path: 'inputs', message: `has ${inputs.length} rows` },
    ]);
  }
  const width = model.architecture.inputSize;
  const wrong: ErrorDetail[] = [];
  inputs.forEach((row, i) => {
    if (row.length !== width && wrong.length < MAX_WIDTH_DETAILS) {
      wrong.push({ path: `inputs[${i}]`, message: `has ${row.length} values; the model takes ${width}` });
    }
  });
  if (wrong.length > 0) {
    const features = model.features ? ` (${model.features.join(', ')})` : '';
    throw new ApiError('invalid_input', `every row needs ${width} feature values${features}`, wrong);
  }

  const rows = inputs.length;
  const x = new Float32Array(rows * width); // rows×in
  inputs.forEach((row, i) => x.set(row, i * width));
  const y = predict(model, x, rows); // rows×out
  const units = y.length / rows;
  const outputs: number[][] = [];
  for (let i = 0; i < rows; i++) outputs.push(Array.from(y.subarray(i * units, (i + 1) * units)));
  const classes = model.classes;
  if (classes === undefined || classes.length === 0) return { outputs };
  const labels = outputs.map((out) => (units === 1 ? classes[out[0] >= 0.5 ? 1 : 0] : classes[argmax(out)]));
  return { outputs, labels };
}

function argmax(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
