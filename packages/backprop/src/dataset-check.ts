import { crc32 } from 'node:zlib';
import type { Dataset } from './dataset.ts';
import type { ModelSpec } from './spec.ts';
import type { SpecIssue } from './validate.ts';

/**
 * What the trainer must be able to trust about the arrays of a dataset (the parsers guarantee it for
 * uploads; this catches hand-built ones): sizes, finite values, class indices the output layer can hold.
 * Call after validateJob passed, so the spec's shapes are sound.
 */
export function datasetIssues(data: Dataset, spec: ModelSpec): SpecIssue[] {
  const features = data.features.length;
  if (!Number.isInteger(data.rows) || data.rows < 1) return [issue(`has ${data.rows} rows; at least 1 is needed`)];
  if (data.x.length !== data.rows * features) return [issue(`x holds ${data.x.length} values, not rows×features = ${data.rows}×${features}`)];
  if (data.y.length !== data.rows) return [issue(`y holds ${data.y.length} values, not one per row (${data.rows})`)];
  const issues: SpecIssue[] = [];
  if (data.split) {
    const { train, validation } = data.split;
    const outside = [...train, ...validation].find((row) => row >= data.rows);
    if (train.length === 0) issues.push(issue('the split has no training rows'));
    if (outside !== undefined) issues.push(issue(`the split names row ${outside}; the dataset has ${data.rows}`));
  }
  if (data.weights) {
    if (data.weights.length !== data.rows) issues.push(issue(`weights hold ${data.weights.length} values, not one per row (${data.rows})`));
    else if (data.weights.some((w) => !(w >= 0 && Number.isFinite(w)))) issues.push(issue('row weights must be finite and not negative'));
  }
  const badX = data.x.findIndex((v) => !Number.isFinite(v));
  if (badX >= 0) issues.push(issue(`row ${Math.floor(badX / features)}, feature ${data.features[badX % features]} is ${data.x[badX]}`));
  if (data.task === 'classification') {
    const outputs = spec.layers[spec.layers.length - 1].units;
    const classes = outputs === 1 ? 2 : outputs;
    const badY = data.y.findIndex((v) => !Number.isInteger(v) || v < 0 || v >= classes);
    if (badY >= 0) issues.push(issue(`row ${badY} has class index ${data.y[badY]}; the output layer holds classes 0…${classes - 1}`));
  } else {
    const badY = data.y.findIndex((v) => !Number.isFinite(v));
    if (badY >= 0) issues.push(issue(`row ${badY} has target ${data.y[badY]}`));
  }
  return issues;
}

/** A checksum of the dataset's values (and its split and weights), so a saved training state resumes only on the data it began with. */
export function datasetFingerprint(data: Dataset): number {
  const bytes = (a: Float32Array | Uint32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let sum = crc32(bytes(data.y), crc32(bytes(data.x)));
  if (data.split) sum = crc32(bytes(data.split.validation), crc32(bytes(data.split.train), sum));
  if (data.weights) sum = crc32(bytes(data.weights), sum);
  return sum >>> 0;
}

function issue(message: string): SpecIssue {
  return { path: 'dataset', message };
}
