import type { Dataset } from '../dataset.ts';
import { DatasetError } from './dataset-error.ts';

/** Dataset arrays as float32 little-endian bytes, for storage. */
export function encodeDatasetArrays(dataset: Dataset): { x: Uint8Array; y: Uint8Array } {
  return { x: toLittleEndianBytes(dataset.x), y: toLittleEndianBytes(dataset.y) };
}

export type DatasetMeta = Omit<Dataset, 'x' | 'y'>;

/** Stored bytes back into a Dataset; the byte counts must match rows × features. */
export function decodeDatasetArrays(meta: DatasetMeta, x: Uint8Array, y: Uint8Array): Dataset {
  const cols = meta.features.length;
  if (x.byteLength !== meta.rows * cols * 4 || y.byteLength !== meta.rows * 4) {
    throw new DatasetError('invalid_dataset', `stored arrays hold ${x.byteLength}+${y.byteLength} bytes; ${meta.rows} rows × ${cols} features need ${meta.rows * cols * 4}+${meta.rows * 4}`);
  }
  return { ...meta, x: fromLittleEndianBytes(x), y: fromLittleEndianBytes(y) };
}

function toLittleEndianBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return out;
}

function fromLittleEndianBytes(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
