import type { Dataset } from '../dataset.ts';
import { DatasetError } from './dataset-error.ts';

/** Typed arrays use the host's byte order; on little-endian hosts the bytes are copied as they are. */
const LITTLE_ENDIAN_HOST = new Uint8Array(Float32Array.of(1).buffer)[3] === 0x3f;

/** Dataset arrays as float32 little-endian bytes, for storage. */
export function encodeDatasetArrays(dataset: Dataset): { x: Uint8Array; y: Uint8Array } {
  return { x: toLittleEndianBytes(dataset.x), y: toLittleEndianBytes(dataset.y) };
}

export type DatasetMeta = Omit<Dataset, 'x' | 'y'>;

/**
 * Stored bytes back into a Dataset. The byte counts must match rows × features, features must be finite and
 * class indices whole numbers below the class count: a bad label would otherwise land in another row's one-hot slot.
 */
export function decodeDatasetArrays(meta: DatasetMeta, x: Uint8Array, y: Uint8Array): Dataset {
  const cols = meta.features.length;
  if (x.byteLength !== meta.rows * cols * 4 || y.byteLength !== meta.rows * 4) {
    throw new DatasetError('invalid_dataset', `stored arrays hold ${x.byteLength}+${y.byteLength} bytes; ${meta.rows} rows × ${cols} features need ${meta.rows * cols * 4}+${meta.rows * 4}`);
  }
  const dataset: Dataset = { ...meta, x: fromLittleEndianBytes(x), y: fromLittleEndianBytes(y) };
  for (let i = 0; i < dataset.x.length; i++) {
    if (!Number.isFinite(dataset.x[i])) throw new DatasetError('invalid_dataset', `stored feature ${i % cols} of row ${Math.floor(i / cols) + 1} is ${dataset.x[i]}`);
  }
  const classes = meta.task === 'classification' ? (meta.classes?.length ?? 0) : undefined;
  for (let r = 0; r < meta.rows; r++) {
    const label = dataset.y[r];
    const bad = classes === undefined ? !Number.isFinite(label) : !(Number.isInteger(label) && label >= 0 && label < classes);
    if (bad) throw new DatasetError('invalid_dataset', `stored target of row ${r + 1} is ${label}; expected ${classes === undefined ? 'a finite number' : `a class index below ${classes}`}`);
  }
  return dataset;
}

function toLittleEndianBytes(values: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return out;
}

function fromLittleEndianBytes(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.byteLength / 4);
  if (LITTLE_ENDIAN_HOST) {
    new Uint8Array(out.buffer).set(bytes);
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
