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
  if (!Number.isInteger(data.rows) || data.rows < 1) return [issue(`has ${data.rows} rows; at least 1 is needed`)];
  const oneHot = oneHotIssues(data);
  if (oneHot.length > 0) return oneHot;
  const features = denseFeatures(data).length;
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
  if (badX >= 0) issues.push(issue(`row ${Math.floor(badX / features)}, feature ${denseFeatures(data)[badX % features]} is ${data.x[badX]}`));
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
  const bytes = (a: Float32Array | Uint32Array | Int32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let sum = crc32(bytes(data.y), crc32(bytes(data.x)));
  // The materialised dataset and its codes form identify different arrays; each resumes only on itself.
  if (data.oneHot) {
    sum = crc32(JSON.stringify(data.oneHot.blocks), sum);
    for (const codes of data.oneHot.codes) sum = crc32(bytes(codes.subarray(0, data.rows)), sum);
  }
  if (data.split) sum = crc32(bytes(data.split.validation), crc32(bytes(data.split.train), sum));
  if (data.weights) sum = crc32(bytes(data.weights), sum);
  return sum >>> 0;
}

/** The features x holds: all of them, or those no one-hot block covers. */
export function denseFeatures(data: Dataset): string[] {
  if (!data.oneHot) return data.features;
  const covered = new Uint8Array(data.features.length);
  for (const b of data.oneHot.blocks) covered.fill(1, b.offset, b.offset + b.levels);
  return data.features.filter((_, j) => covered[j] === 0);
}

function oneHotIssues(data: Dataset): SpecIssue[] {
  if (!data.oneHot) return [];
  const { blocks, codes } = data.oneHot;
  if (codes.length !== blocks.length) return [issue(`oneHot has ${blocks.length} blocks and ${codes.length} code arrays`)];
  let end = 0;
  for (const [b, block] of blocks.entries()) {
    if (!Number.isInteger(block.offset) || !Number.isInteger(block.levels) || block.levels < 1 || block.offset < end || block.offset + block.levels > data.features.length) {
      return [issue(`oneHot block ${b} (columns ${block.offset}…${block.offset + block.levels}) must lie inside the features, after the block before it`)];
    }
    end = block.offset + block.levels;
    if (codes[b].length < data.rows) return [issue(`oneHot block ${b} has ${codes[b].length} codes for ${data.rows} rows`)];
    for (let k = 0; k < data.rows; k++) {
      const c = codes[b][k];
      if (c < -1 || c >= block.levels) return [issue(`row ${k} has code ${c} in oneHot block ${b}; codes are −1 or 0…${block.levels - 1}`)];
    }
  }
  return [];
}

function issue(message: string): SpecIssue {
  return { path: 'dataset', message };
}
