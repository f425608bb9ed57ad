import { predict, type SavedModel } from '@trainyard/backprop';
import { ApiError, type ErrorDetail, type PredictBody } from '@trainyard/contracts';
import type { Limits } from '@trainyard/config';
import { encodeRows, type FittedPreprocessing } from '@trainyard/tabular';

const MAX_WIDTH_DETAILS = 10;
type Row = Record<string, unknown>;

/**
 * Runs the model on raw rows: `rows` (objects by column name) or `inputs` (arrays in the order of the job's
 * feature columns). A model with a preprocessing encodes them as training did (422 `invalid_input` naming row
 * and column for a value of the wrong kind); one without (uploaded weights, older jobs) takes numbers of its
 * input width. Labels: the arg-max class, or for one sigmoid unit over two classes, classes[p ≥ 0.5].
 */
export function predictRows(
  model: SavedModel,
  body: PredictBody,
  limits: Pick<Limits, 'maxPredictRows' | 'maxPredictCells'>,
): { outputs: number[][]; labels?: string[] } {
  const given = [body.inputs, body.rows].filter((part) => part !== undefined);
  if (given.length !== 1) {
    throw new ApiError('bad_request', 'send exactly one of "inputs" (arrays of feature values) and "rows" (objects by column name)', [
      { path: 'body', message: given.length === 0 ? 'has neither inputs nor rows' : 'has both inputs and rows' },
    ]);
  }
  const count = (body.inputs ?? body.rows)!.length;
  checkBatch(count, model.architecture.inputSize, body.inputs ? 'inputs' : 'rows', limits);
  const preprocessing = model.preprocessing as FittedPreprocessing | undefined;
  const x = preprocessing ? encodeGiven(preprocessing, body) : numericInputs(model, body);
  const y = predict(model, x, count); // count×out
  return present(model, y, count);
}

/**
 * The work one request may ask for, before any is done: rows, and rows × the model's encoded inputs (the
 * matrix the forward pass allocates; a few category columns can make a small body a very wide matrix).
 */
function checkBatch(rows: number, inputs: number, path: string, limits: Pick<Limits, 'maxPredictRows' | 'maxPredictCells'>): void {
  if (rows > limits.maxPredictRows) {
    throw new ApiError('limit_exceeded', `${rows} rows; at most ${limits.maxPredictRows} per request (TRAINYARD_MAX_PREDICT_ROWS)`, [
      { path, message: `has ${rows} rows` },
    ]);
  }
  const cells = rows * inputs;
  if (cells > limits.maxPredictCells) {
    const most = Math.max(1, Math.floor(limits.maxPredictCells / inputs));
    throw new ApiError('limit_exceeded',
      `${rows} rows × ${inputs} model inputs = ${cells} cells; at most ${limits.maxPredictCells} per request (TRAINYARD_MAX_PREDICT_CELLS): send at most ${most} rows at a time`,
      [{ path, message: `has ${rows} rows of ${inputs} model inputs each` }]);
  }
}

/** Raw rows → the model's inputs (before standardisation, which predict applies). */
function encodeGiven(preprocessing: FittedPreprocessing, body: PredictBody): Float32Array {
  let rows: Row[];
  if (body.rows) rows = body.rows as Row[];
  else {
    const names = preprocessing.columns.map((column) => column.name);
    const wrong: ErrorDetail[] = [];
    body.inputs!.forEach((row, i) => {
      if (row.length !== names.length && wrong.length < MAX_WIDTH_DETAILS) {
        wrong.push({ path: `inputs[${i}]`, message: `has ${row.length} values; the model takes ${names.length}` });
      }
    });
    if (wrong.length > 0) throw new ApiError('invalid_input', `every row needs ${names.length} feature values, in this order: ${names.join(', ')}`, wrong);
    rows = body.inputs!.map((row) => Object.fromEntries(names.map((name, j) => [name, row[j]])));
  }
  const encoded = encodeRows(preprocessing, rows);
  if ('problems' in encoded) {
    const first = encoded.problems[0];
    throw new ApiError('invalid_input', `row ${first.row}, column "${first.column}": ${first.message}`, encoded.problems.map((problem) => ({
      path: body.rows ? `rows[${problem.row - 1}].${problem.column}` : `inputs[${problem.row - 1}]`,
      row: problem.row, column: problem.column, message: problem.message,
    })));
  }
  return encoded.x;
}

/** Models without a preprocessing: rows of exactly inputSize numbers. */
function numericInputs(model: SavedModel, body: PredictBody): Float32Array {
  const width = model.architecture.inputSize;
  if (!body.inputs) {
    throw new ApiError('invalid_input', 'these weights carry no preprocessing: send "inputs", rows of numbers in the model\'s input order', [
      { path: 'rows', message: 'needs a model trained on a dataset by this service' },
    ]);
  }
  const wrong: ErrorDetail[] = [];
  body.inputs.forEach((row, i) => {
    if (wrong.length >= MAX_WIDTH_DETAILS) return;
    if (row.length !== width) wrong.push({ path: `inputs[${i}]`, message: `has ${row.length} values; the model takes ${width}` });
    else if (row.some((v) => v === null)) wrong.push({ path: `inputs[${i}]`, message: 'these weights carry no preprocessing: every value must be a number' });
  });
  if (wrong.length > 0) {
    const features = model.features ? ` (${model.features.join(', ')})` : '';
    throw new ApiError('invalid_input', `every row needs ${width} feature values${features}`, wrong);
  }
  const x = new Float32Array(body.inputs.length * width); // rows×in
  body.inputs.forEach((row, i) => x.set(row as number[], i * width));
  return x;
}

function present(model: SavedModel, y: Float32Array, rows: number): { outputs: number[][]; labels?: string[] } {
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
