import { endianness } from 'node:os';
import { crc32 } from 'node:zlib';
import type { Task } from './dataset.ts';
import type { TrackerState } from './early-stopping.ts';
import { TrainingError } from './errors.ts';
import type { EpochMetrics } from './metrics.ts';
import type { Normalization } from './saved-model.ts';
import type { ModelSpec } from './spec.ts';
import type { TrainingConfig } from './training-config.ts';

/** Where training stands: everything that changes from step to step, besides the tensors. */
export interface TrainingProgress {
  /** Completed epochs, steps done inside the epoch in progress, steps done in all. */
  epoch: number;
  stepInEpoch: number;
  step: number;
  /** Running sums over the epoch in progress (loss weighted by batch rows). */
  lossSum: number;
  samples: number;
  correct: number;
  /** Regression: squared and absolute errors of the epoch in progress, in target units (absent in older states: 0). */
  squaredError?: number;
  absoluteError?: number;
  lastMetrics: EpochMetrics | null;
  /** The best epoch's metrics: what the outcome reports once early stopping restores the best weights. */
  bestMetrics?: EpochMetrics | null;
  tracker: TrackerState;
}

/** The dataset a state was trained on, checked on restore. */
export interface DataIdentity {
  rows: number;
  features: number;
  task: Task;
  classes: number;
  fingerprint: number;
}

/** A whole resumable training run, independent of the kernel that ran it. */
export interface SavedState {
  spec: ModelSpec;
  training: TrainingConfig;
  normalization: Normalization | null;
  data: DataIdentity;
  progress: TrainingProgress;
  /** xoshiro128** words. */
  rng: number[];
  /** Optimizer steps taken (Adam's t). */
  optimizerStep: number;
  /** Row order of the epoch in progress. */
  permutation: Uint32Array;
  /** Weights and biases, optimizer moments, best weights: in the trainer's fixed order. */
  tensors: Float32Array[];
}

const MAGIC = 0x54535042; // "BPST" read as little-endian bytes
const VERSION = 1;
const PREFIX_BYTES = 12;
const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * Layout, little-endian: magic u32 | version u32 | header length u32 | JSON header, zero-padded to 4 |
 * tensor lengths u32[] | permutation u32[] | tensors f32[] | crc32 u32 of everything before it.
 */
export function encodeState(saved: SavedState): Uint8Array {
  const { permutation, tensors, ...rest } = saved;
  const header = new TextEncoder().encode(JSON.stringify({ ...rest, permutationLength: permutation.length, tensorCount: tensors.length }));
  const headerPadded = Math.ceil(header.length / 4) * 4;
  const floats = tensors.reduce((sum, t) => sum + t.length, 0);
  const size = PREFIX_BYTES + headerPadded + 4 * (tensors.length + permutation.length + floats) + 4;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, header.length, true);
  out.set(header, PREFIX_BYTES);
  let offset = PREFIX_BYTES + headerPadded;
  for (const t of tensors) offset = putWords(view, offset, [t.length]);
  offset = putWords(view, offset, permutation);
  for (const t of tensors) offset = putFloats(out, view, offset, t);
  view.setUint32(offset, crc32(out.subarray(0, offset)) >>> 0, true);
  return out;
}

/** Parses and checks saved state bytes; TrainingError('bad_state') says why they cannot be used. */
export function decodeState(bytes: Uint8Array): SavedState {
  if (bytes.length < PREFIX_BYTES + 4) throw badState('too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw badState('not a training state (bad magic)');
  const version = view.getUint32(4, true);
  if (version !== VERSION) throw badState(`format version ${version} is not supported (this engine reads ${VERSION})`);
  const end = bytes.length - 4;
  if ((crc32(bytes.subarray(0, end)) >>> 0) !== view.getUint32(end, true)) throw badState('checksum mismatch (corrupt or truncated)');
  const headerLength = view.getUint32(8, true);
  if (PREFIX_BYTES + headerLength > end) throw badState('header runs past the end');
  const header = parseHeader(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength));
  let offset = PREFIX_BYTES + Math.ceil(headerLength / 4) * 4;
  if (offset + 4 * header.tensorCount > end) throw badState('tensor table runs past the end');
  const lengths: number[] = [];
  for (let i = 0; i < header.tensorCount; i++, offset += 4) lengths.push(view.getUint32(offset, true));
  const expectedEnd = offset + 4 * (header.permutationLength + lengths.reduce((a, b) => a + b, 0));
  if (expectedEnd !== end) throw badState('payload size does not match its header');
  const permutation = new Uint32Array(header.permutationLength);
  for (let i = 0; i < permutation.length; i++, offset += 4) permutation[i] = view.getUint32(offset, true);
  const tensors = lengths.map((length) => {
    const t = readFloats(bytes, view, offset, length);
    offset += 4 * length;
    return t;
  });
  const { permutationLength: _p, tensorCount: _t, ...rest } = header;
  return { ...rest, permutation, tensors };
}

type Header = Omit<SavedState, 'permutation' | 'tensors'> & { permutationLength: number; tensorCount: number };

function parseHeader(bytes: Uint8Array): Header {
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw badState('header is not JSON');
  }
  const ok = typeof header === 'object' && header !== null &&
    typeof header.spec === 'object' && typeof header.training === 'object' && typeof header.data === 'object' &&
    typeof header.progress === 'object' && typeof header.progress?.tracker === 'object' &&
    Array.isArray(header.rng) && header.rng.length === 4 &&
    Number.isInteger(header.optimizerStep) && Number.isInteger(header.permutationLength) && Number.isInteger(header.tensorCount);
  if (!ok) throw badState('header lacks fields of a training state');
  return header;
}

function putWords(view: DataView, offset: number, words: ArrayLike<number>): number {
  for (let i = 0; i < words.length; i++, offset += 4) view.setUint32(offset, words[i], true);
  return offset;
}

function putFloats(out: Uint8Array, view: DataView, offset: number, t: Float32Array): number {
  if (LITTLE_ENDIAN) out.set(new Uint8Array(t.buffer, t.byteOffset, t.byteLength), offset);
  else for (let i = 0; i < t.length; i++) view.setFloat32(offset + 4 * i, t[i], true);
  return offset + 4 * t.length;
}

function readFloats(bytes: Uint8Array, view: DataView, offset: number, length: number): Float32Array {
  const t = new Float32Array(length);
  if (LITTLE_ENDIAN) new Uint8Array(t.buffer).set(bytes.subarray(offset, offset + 4 * length));
  else for (let i = 0; i < length; i++) t[i] = view.getFloat32(offset + 4 * i, true);
  return t;
}

function badState(why: string): TrainingError {
  return new TrainingError('bad_state', `training state is unreadable: ${why}`);
}
