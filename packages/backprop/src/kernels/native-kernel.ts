import { createRequire } from 'node:module';
import { ACTIVATION_ID, LOSS_ID, type Activation, type Loss } from '../spec.ts';
import type { Kernel } from './kernel.ts';
import { checkOneHot } from './js-kernel.ts';

/** The addon's functions take no arguments: they read them from the block given to `bind`. */
interface NativeAddon {
  bind(args: Float64Array): void;
  address(buffer: ArrayBuffer): number;
  gemm(): void;
  biasActivation(): void;
  activationBackward(): void;
  outputDelta(): number;
  columnSum(): void;
  sgdUpdate(): void;
  adamUpdate(): void;
  gatherRows(): void;
  oneHotForward(): void;
  oneHotBackward(): void;
}

/** Argument slots of the block shared with the addon (ARG_SLOTS in native/addon.c). */
const ARG_SLOTS = 16;
/** Buffers come from chunks of at least this many bytes; a chunk is freed with the last view on it. */
const CHUNK_BYTES = 4 << 20;
/** Every buffer starts on a cache line. */
const ALIGN_BYTES = 64;

let addon: NativeAddon | null | undefined;
let args: Float64Array;

/** The compiled addon (native/build/Release), or null when it was not built here. */
export function loadNativeAddon(): NativeAddon | null {
  if (addon === undefined) {
    try {
      addon = createRequire(import.meta.url)('../../native/build/Release/trainyard_kernel.node') as NativeAddon;
      args = new Float64Array(new ArrayBuffer(ARG_SLOTS * 8));
      addon.bind(args);
    } catch {
      addon = null;
    }
  }
  return addon;
}

/**
 * The C kernels, straight on the buffers' memory: `alloc` hands out views of ArrayBuffers whose
 * addresses the addon knows, and each call passes addresses, not arrays. GEMM: a register-blocked
 * loop for tiny products, OpenBLAS's SGEMM for the rest, split between the addon's own threads when
 * `threads` > 1 (native/parallel-gemm.c).
 */
export class NativeKernel implements Kernel {
  readonly name = 'native';
  private readonly bases = new Map<ArrayBufferLike, number>();
  /** Addresses of buffers the kernel did not allocate (datasets, row orders), or null where none can be had (shared memory). */
  private readonly external = new WeakMap<ArrayBufferLike, number | null>();
  private chunk: ArrayBuffer | null = null;
  private chunkBase = 0;
  private used = 0;

  constructor(
    private readonly native: NativeAddon,
    readonly threads: number,
  ) {}

  alloc(length: number): Float32Array {
    const bytes = Math.ceil((length * 4) / ALIGN_BYTES) * ALIGN_BYTES;
    if (this.chunk === null || this.used + bytes > this.chunk.byteLength) {
      this.chunk = new ArrayBuffer(Math.max(CHUNK_BYTES, bytes));
      this.chunkBase = this.native.address(this.chunk);
      this.bases.set(this.chunk, this.chunkBase);
      this.used = 0;
    }
    const view = new Float32Array(this.chunk, this.used, length);
    this.used += bytes;
    return view;
  }

  gatherRows(x: Float32Array, features: number, order: Uint32Array, start: number, rows: number, out: Float32Array): boolean {
    const xBase = this.externalAddress(x.buffer);
    const orderBase = this.externalAddress(order.buffer);
    if (xBase === null || orderBase === null) return false;
    if (!(start >= 0 && rows >= 0 && start + rows <= order.length)) throw new RangeError(`gatherRows: rows ${start}…${start + rows} are outside the order`);
    const last = x.length / features;
    for (let r = start; r < start + rows; r++) {
      if (order[r] >= last) throw new RangeError(`gatherRows: row ${order[r]} is outside the data (${last} rows)`);
    }
    args[0] = xBase + x.byteOffset;
    args[1] = features;
    args[2] = orderBase + order.byteOffset;
    args[3] = start;
    args[4] = rows;
    args[5] = this.address(out, rows * features, 'gatherRows out');
    this.native.gatherRows();
    return true;
  }

  private externalAddress(buffer: ArrayBufferLike): number | null {
    let base = this.bases.get(buffer) ?? this.external.get(buffer);
    if (base === undefined) {
      try {
        base = this.native.address(buffer as ArrayBuffer);
      } catch {
        base = null; // a SharedArrayBuffer: Node-API gives no address for it here
      }
      this.external.set(buffer, base);
    }
    return base;
  }

  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float32Array, b: Float32Array, beta: number, c: Float32Array): void {
    checkShape(m, n, k);
    args[0] = transA ? 1 : 0;
    args[1] = transB ? 1 : 0;
    args[2] = m;
    args[3] = n;
    args[4] = k;
    args[5] = alpha;
    args[6] = this.address(a, m * k, 'gemm A');
    args[7] = this.address(b, k * n, 'gemm B');
    args[8] = beta;
    args[9] = this.address(c, m * n, 'gemm C');
    args[10] = this.threads;
    this.native.gemm();
  }

  biasActivation(z: Float32Array, bias: Float32Array, rows: number, cols: number, activation: Activation, out: Float32Array): void {
    args[0] = this.address(z, rows * cols, 'biasActivation z');
    args[1] = this.address(bias, cols, 'biasActivation bias');
    args[2] = rows;
    args[3] = cols;
    args[4] = ACTIVATION_ID[activation];
    args[5] = this.address(out, rows * cols, 'biasActivation out');
    this.native.biasActivation();
  }

  activationBackward(delta: Float32Array, z: Float32Array, a: Float32Array, length: number, activation: Activation): void {
    if (activation === 'softmax') throw new Error('activationBackward: softmax has no element-wise derivative; it is fused with cross_entropy');
    args[0] = this.address(delta, length, 'activationBackward delta');
    args[1] = this.address(z, length, 'activationBackward z');
    args[2] = this.address(a, length, 'activationBackward a');
    args[3] = length;
    args[4] = ACTIVATION_ID[activation];
    this.native.activationBackward();
  }

  outputDelta(loss: Loss, activation: Activation, z: Float32Array, yhat: Float32Array, y: Float32Array, rows: number, cols: number, delta: Float32Array, weights?: Float32Array): number {
    const length = rows * cols;
    args[0] = LOSS_ID[loss];
    args[1] = ACTIVATION_ID[activation];
    args[2] = this.address(z, length, 'outputDelta z');
    args[3] = this.address(yhat, length, 'outputDelta yhat');
    args[4] = this.address(y, length, 'outputDelta y');
    args[5] = rows;
    args[6] = cols;
    args[7] = this.address(delta, length, 'outputDelta delta');
    args[8] = weights === undefined ? 0 : this.address(weights, rows, 'outputDelta weights'); // 0: NULL, unweighted
    return this.native.outputDelta();
  }

  oneHotForward(z: Float32Array, w: Float32Array, out: number, inputs: number, codes: Int32Array, rows: number, offset: number, levels: number): void {
    checkOneHot('oneHotForward', z, w, out, inputs, codes, rows, offset, levels);
    args[0] = this.address(z, rows * out, 'oneHotForward z');
    args[1] = this.address(w, out * inputs, 'oneHotForward w');
    args[2] = out;
    args[3] = inputs;
    args[4] = this.address(codes, rows, 'oneHotForward codes');
    args[5] = rows;
    args[6] = offset;
    args[7] = levels;
    this.native.oneHotForward();
  }

  oneHotBackward(delta: Float32Array, codes: Int32Array, rows: number, out: number, inputs: number, offset: number, levels: number, grad: Float32Array): void {
    checkOneHot('oneHotBackward', delta, grad, out, inputs, codes, rows, offset, levels);
    args[0] = this.address(delta, rows * out, 'oneHotBackward delta');
    args[1] = this.address(codes, rows, 'oneHotBackward codes');
    args[2] = rows;
    args[3] = out;
    args[4] = inputs;
    args[5] = offset;
    args[6] = levels;
    args[7] = this.address(grad, out * inputs, 'oneHotBackward grad');
    this.native.oneHotBackward();
  }

  columnSum(m: Float32Array, rows: number, cols: number, out: Float32Array): void {
    args[0] = this.address(m, rows * cols, 'columnSum m');
    args[1] = rows;
    args[2] = cols;
    args[3] = this.address(out, cols, 'columnSum out');
    this.native.columnSum();
  }

  sgdUpdate(w: Float32Array, g: Float32Array, velocity: Float32Array, length: number, lr: number, momentum: number, nesterov: boolean, weightDecay: number): void {
    args[0] = this.address(w, length, 'sgdUpdate w');
    args[1] = this.address(g, length, 'sgdUpdate g');
    args[2] = momentum === 0 ? 0 : this.address(velocity, length, 'sgdUpdate velocity');
    args[3] = length;
    args[4] = lr;
    args[5] = momentum;
    args[6] = nesterov ? 1 : 0;
    args[7] = weightDecay;
    this.native.sgdUpdate();
  }

  adamUpdate(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, length: number, lr: number, beta1: number, beta2: number, epsilon: number, weightDecay: number, t: number): void {
    args[0] = this.address(w, length, 'adamUpdate w');
    args[1] = this.address(g, length, 'adamUpdate g');
    args[2] = this.address(m, length, 'adamUpdate m');
    args[3] = this.address(v, length, 'adamUpdate v');
    args[4] = length;
    args[5] = lr;
    args[6] = beta1;
    args[7] = beta2;
    args[8] = epsilon;
    args[9] = weightDecay;
    args[10] = 1 / (1 - Math.pow(beta1, t));
    args[11] = 1 / (1 - Math.pow(beta2, t));
    this.native.adamUpdate();
  }

  /** The address of a buffer this kernel allocated, once it is known to hold `needed` values. */
  private address(view: Float32Array | Int32Array, needed: number, what: string): number {
    const buffer = view.buffer;
    // Most buffers of a model share one chunk: skip the map lookup for it.
    const base = buffer === this.chunk ? this.chunkBase : this.bases.get(buffer);
    if (base === undefined) throw new Error(`native kernel: ${what} was not allocated by this kernel (use kernel.alloc)`);
    if (view.length < needed) throw new RangeError(`native kernel: ${what} holds ${view.length} values, smaller than the ${needed} its shape needs`);
    return base + view.byteOffset;
  }
}

/** GEMM dimensions must be whole, non-negative and small enough for 32-bit BLAS indices. */
export function checkShape(m: number, n: number, k: number): void {
  for (const [name, value] of [['m', m], ['n', n], ['k', k]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) throw new RangeError(`gemm: ${name} = ${value} is not a valid dimension`);
  }
}
