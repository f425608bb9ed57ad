import { crc32 } from 'node:zlib';
import type { Task } from './dataset.ts';
import { TrainingError } from './errors.ts';
import type { EpochMetrics } from './trainer.ts';
import type { Normalization } from './saved-model.ts';
import type { ModelSpec } from './spec.ts';
import type { TrainingConfig } from './training-config.ts';

/** Everything besides the big tensors that a resumed run needs to continue bit-identically. */
export interface TrainingState {
  spec: ModelSpec;
  training: TrainingConfig;
  normalization: Normalization | null;
  data: { rows: number; features: number; task: Task; classes: string[] | null };
  /** Completed epochs, steps done inside the current epoch, global steps. */
  epoch: number;
  stepInEpoch: number;
  step: number;
  /** Running sums of the epoch in progress. */
  lossSum: number;
  samples: number;
  correct: number;
  rng: number[];
  optimizerStep: number;
  best: number | null;
  bestEpoch: number;
  wait: number;
  stopped: boolean;
  hasBest: boolean;
  lastMetrics: EpochMetrics | null;
  /** Row order of the epoch in progress. */
  permutation: Uint32Array;
}

const MAGIC = 0x54535042; // "BPST" little-endian
const VERSION = 1;

/**
 * Layout: magic u32 | version u32 | header length u32 | JSON header | pad to 4 | tensor lengths u32[] |
 * permutation u32[] | tensors f32[] | crc32 of everything before it. Little-endian throughout.
 */
export function encodeState(state: TrainingState, tensors: Float32Array[]): Uint8Array {
  const { permutation, ...rest } = state;
  const header = new TextEncoder().encode(JSON.stringify({ ...rest, permutationLength: permutation.length, tensorCount: tensors.length }));
  const headerPadded = Math.ceil(header.length / 4) * 4;
  const floats = tensors.reduce((sum, t) => sum + t.length, 0);
  const size = 12 + headerPadded + 4 * tensors.length + 4 * permutation.length + 4 * floats + 4;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, header.length, true);
  out.set(header, 12);
  let offset = 12 + headerPadded;
  for (const t of tensors) offset = putUint32(view, offset, t.length);
  for (const p of permutation) offset = putUint32(view, offset, p);
  for (const t of tensors) {
    for (let i = 0; i < t.length; i++, offset += 4) view.setFloat32(offset, t[i], true);
  }
  view.setUint32(offset, crc32(out.subarray(0, offset)) >>> 0, true);
  return out;
}

export function decodeState(bytes: Uint8Array): { state: TrainingState; tensors: Float32Array[] } {
  const bad = (why: string) => new TrainingError('bad_state', `training state is unreadable: ${why}`);
  if (bytes.length < 16) throw bad('too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw bad('not a training state (bad magic)');
  if (view.getUint32(4, true) !== VERSION) throw bad(`version ${view.getUint32(4, true)} is not supported`);
  const end = bytes.length - 4;
  if ((crc32(bytes.subarray(0, end)) >>> 0) !== view.getUint32(end, true)) throw bad('checksum mismatch (corrupt or truncated)');
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > end) throw bad('header runs past the end');
  let header: Omit<TrainingState, 'permutation'> & { permutationLength: number; tensorCount: number };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
  } catch {
    throw bad('header is not JSON');
  }
  let offset = 12 + Math.ceil(headerLength / 4) * 4;
  const lengths: number[] = [];
  for (let i = 0; i < header.tensorCount; i++, offset += 4) lengths.push(view.getUint32(offset, true));
  const expectedEnd = offset + 4 * header.permutationLength + 4 * lengths.reduce((a, b) => a + b, 0);
  if (expectedEnd !== end) throw bad('payload size does not match its header');
  const permutation = new Uint32Array(header.permutationLength);
  for (let i = 0; i < permutation.length; i++, offset += 4) permutation[i] = view.getUint32(offset, true);
  const tensors = lengths.map((length) => {
    const t = new Float32Array(length);
    for (let i = 0; i < length; i++, offset += 4) t[i] = view.getFloat32(offset, true);
    return t;
  });
  const { permutationLength: _p, tensorCount: _t, ...state } = header;
  return { state: { ...state, permutation }, tensors };
}

function putUint32(view: DataView, offset: number, value: number): number {
  view.setUint32(offset, value, true);
  return offset + 4;
}
