import { readFileSync } from 'node:fs';
import { ACTIVATION_ID, LOSS_ID, type Activation, type Loss } from '../spec.ts';
import type { Kernel } from './kernel.ts';
import { checkOneHot } from './js-kernel.ts';
import { checkShape } from './native-kernel.ts';
import { wasm, type WasmGlobal, type WasmMemory, type WasmModule } from './wasm-api.ts';
import { GemmHelper, type GemmArgs, type GemmFunction } from './wasm-threads.ts';

interface WasmExports {
  gemm: GemmFunction;
  gemm_scratch_floats(): number;
  k_bias_activation(z: number, bias: number, rows: number, cols: number, activation: number, out: number): void;
  k_activation_backward(delta: number, z: number, a: number, length: number, activation: number): void;
  k_output_delta(loss: number, activation: number, z: number, yhat: number, y: number, rows: number, cols: number, delta: number, weights: number): number;
  k_column_sum(m: number, rows: number, cols: number, out: number): void;
  k_sgd_update(w: number, g: number, velocity: number, length: number, lr: number, momentum: number, nesterov: number, decay: number): void;
  k_adam_update(w: number, g: number, m: number, v: number, length: number, lr: number, beta1: number, beta2: number, epsilon: number, decay: number, correction1: number, correction2: number): void;
  k_one_hot_forward(z: number, w: number, out: number, inputs: number, codes: number, rows: number, offset: number, levels: number): void;
  k_one_hot_backward(delta: number, codes: number, rows: number, out: number, inputs: number, offset: number, levels: number, grad: number): void;
  __heap_base: WasmGlobal;
}

const PAGE_BYTES = 65536;
/** At least what kernel.wasm declares (its stack and constants: 2 pages, see wasm/build.sh). */
const INITIAL_PAGES = 16;
/** wasm32 addresses 4 GiB at most; memory is reserved, not committed, up to this. */
const MAX_PAGES = 65536;
/** Every buffer starts on a cache line. */
const ALIGN_BYTES = 64;
/** Products smaller than this (m·n·k multiply-adds) stay on one thread: handing over costs more. */
const PARALLEL_MIN_VOLUME = 1 << 21;
/** How long threadsReady() waits for helper workers to start. */
const HELPER_START_TIMEOUT_MS = 10_000;

let compiled: WasmModule | null | undefined;

/** The committed wasm/kernel.wasm, compiled once; null where this engine lacks SIMD or threads. */
export function loadWasmModule(): WasmModule | null {
  if (compiled === undefined) {
    try {
      compiled = new wasm.Module(readFileSync(new URL('../../wasm/kernel.wasm', import.meta.url)));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** One instance and its shared memory; buffers are bump-allocated and live as long as the kernel. */
interface Instance {
  memory: WasmMemory;
  exports: WasmExports;
  /** Buffer objects of this memory (a new one after each grow; views on older ones stay valid). */
  buffers: Set<ArrayBufferLike>;
  current: ArrayBufferLike;
  top: number;
  /** Per thread: the byte offset of its GEMM scratch. */
  scratch: number[];
  helpers: GemmHelper[];
}

const helperRegistry = new FinalizationRegistry<GemmHelper[]>((helpers) => helpers.forEach((h) => h.close()));

/**
 * The C kernels compiled to WebAssembly SIMD: no compiler needed at install. Buffers live in the
 * instance's shared memory (growing it never detaches them), and with threads > 1 large products
 * are split between this thread and helper workers over that memory.
 */
export class WasmKernel implements Kernel {
  readonly name = 'wasm';
  private instance: Instance | null = null;

  constructor(
    private readonly module: WasmModule,
    readonly threads: number,
  ) {}

  alloc(length: number): Float32Array {
    const s = this.state();
    const offset = this.reserve(s, length * 4);
    return new Float32Array(s.current, offset, length);
  }

  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float32Array, b: Float32Array, beta: number, c: Float32Array): void {
    checkShape(m, n, k);
    const s = this.state();
    const pa = this.pointer(a, m * k, 'gemm A');
    const pb = this.pointer(b, k * n, 'gemm B');
    const pc = this.pointer(c, m * n, 'gemm C');
    const [ta, tb, lda, ldb] = [transA ? 1 : 0, transB ? 1 : 0, transA ? m : k, transB ? k : n];
    const helpers = s.helpers;
    if (helpers.length === 0 || m * n * k < PARALLEL_MIN_VOLUME || !helpers.every((h) => h.ready)) {
      s.exports.gemm(ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, n, s.scratch[0]);
      return;
    }
    const slices = sliceProduct(ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, n, helpers.length + 1);
    for (let t = 1; t < slices.length; t++) helpers[t - 1].start(withScratch(slices[t], s.scratch[t]));
    if (slices.length > 0) s.exports.gemm(...withScratch(slices[0], s.scratch[0]));
    for (let t = 1; t < slices.length; t++) helpers[t - 1].finish();
  }

  biasActivation(z: Float32Array, bias: Float32Array, rows: number, cols: number, activation: Activation, out: Float32Array): void {
    const s = this.state();
    s.exports.k_bias_activation(this.pointer(z, rows * cols, 'biasActivation z'), this.pointer(bias, cols, 'biasActivation bias'), rows, cols, ACTIVATION_ID[activation], this.pointer(out, rows * cols, 'biasActivation out'));
  }

  activationBackward(delta: Float32Array, z: Float32Array, a: Float32Array, length: number, activation: Activation): void {
    if (activation === 'softmax') throw new Error('activationBackward: softmax has no element-wise derivative; it is fused with cross_entropy');
    const s = this.state();
    s.exports.k_activation_backward(this.pointer(delta, length, 'activationBackward delta'), this.pointer(z, length, 'activationBackward z'), this.pointer(a, length, 'activationBackward a'), length, ACTIVATION_ID[activation]);
  }

  outputDelta(loss: Loss, activation: Activation, z: Float32Array, yhat: Float32Array, y: Float32Array, rows: number, cols: number, delta: Float32Array, weights?: Float32Array): number {
    const s = this.state();
    const length = rows * cols;
    const pw = weights === undefined ? 0 : this.pointer(weights, rows, 'outputDelta weights'); // 0: unweighted (no buffer starts there)
    return s.exports.k_output_delta(LOSS_ID[loss], ACTIVATION_ID[activation], this.pointer(z, length, 'outputDelta z'), this.pointer(yhat, length, 'outputDelta yhat'), this.pointer(y, length, 'outputDelta y'), rows, cols, this.pointer(delta, length, 'outputDelta delta'), pw);
  }

  oneHotForward(z: Float32Array, w: Float32Array, out: number, inputs: number, codes: Int32Array, rows: number, offset: number, levels: number): void {
    checkOneHot('oneHotForward', z, w, out, inputs, codes, rows, offset, levels);
    this.state().exports.k_one_hot_forward(this.pointer(z, rows * out, 'oneHotForward z'), this.pointer(w, out * inputs, 'oneHotForward w'), out, inputs, this.pointer(codes, rows, 'oneHotForward codes'), rows, offset, levels);
  }

  oneHotBackward(delta: Float32Array, codes: Int32Array, rows: number, out: number, inputs: number, offset: number, levels: number, grad: Float32Array): void {
    checkOneHot('oneHotBackward', delta, grad, out, inputs, codes, rows, offset, levels);
    this.state().exports.k_one_hot_backward(this.pointer(delta, rows * out, 'oneHotBackward delta'), this.pointer(codes, rows, 'oneHotBackward codes'), rows, out, inputs, offset, levels, this.pointer(grad, out * inputs, 'oneHotBackward grad'));
  }

  columnSum(m: Float32Array, rows: number, cols: number, out: Float32Array): void {
    this.state().exports.k_column_sum(this.pointer(m, rows * cols, 'columnSum m'), rows, cols, this.pointer(out, cols, 'columnSum out'));
  }

  sgdUpdate(w: Float32Array, g: Float32Array, velocity: Float32Array, length: number, lr: number, momentum: number, nesterov: boolean, weightDecay: number): void {
    const pv = momentum === 0 ? 0 : this.pointer(velocity, length, 'sgdUpdate velocity');
    this.state().exports.k_sgd_update(this.pointer(w, length, 'sgdUpdate w'), this.pointer(g, length, 'sgdUpdate g'), pv, length, lr, momentum, nesterov ? 1 : 0, weightDecay);
  }

  adamUpdate(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, length: number, lr: number, beta1: number, beta2: number, epsilon: number, weightDecay: number, t: number): void {
    this.state().exports.k_adam_update(
      this.pointer(w, length, 'adamUpdate w'), this.pointer(g, length, 'adamUpdate g'), this.pointer(m, length, 'adamUpdate m'), this.pointer(v, length, 'adamUpdate v'),
      length, lr, beta1, beta2, epsilon, weightDecay, 1 / (1 - Math.pow(beta1, t)), 1 / (1 - Math.pow(beta2, t)),
    );
  }

  /** Resolves true once every helper thread is up (until then products run on this thread alone). */
  async threadsReady(timeoutMs = HELPER_START_TIMEOUT_MS): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const helpers = this.state().helpers;
    while (!helpers.every((h) => h.ready)) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return true;
  }

  /** Instantiated on first use, so that naming the kernel (selectKernel().name) costs nothing. */
  private state(): Instance {
    return this.instance ?? (this.instance = this.instantiate());
  }

  private instantiate(): Instance {
    const memory = new wasm.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared: true });
    const exports = new wasm.Instance(this.module, { env: { memory } }).exports as unknown as WasmExports;
    const s: Instance = { memory, exports, buffers: new Set([memory.buffer]), current: memory.buffer, top: exports.__heap_base.value as number, scratch: [], helpers: [] };
    for (let t = 0; t < this.threads; t++) s.scratch.push(this.reserve(s, exports.gemm_scratch_floats() * 4));
    for (let t = 1; t < this.threads; t++) s.helpers.push(new GemmHelper(this.module, memory, this.reserve(s, GemmHelper.controlBytes)));
    if (s.helpers.length > 0) helperRegistry.register(this, s.helpers);
    return s;
  }

  /** Byte offset of `bytes` fresh (zeroed) bytes, growing the memory when needed. */
  private reserve(s: Instance, bytes: number): number {
    const offset = Math.ceil(s.top / ALIGN_BYTES) * ALIGN_BYTES;
    const end = offset + bytes;
    if (end > s.current.byteLength) {
      const pages = Math.ceil((end - s.current.byteLength) / PAGE_BYTES);
      try {
        s.memory.grow(pages);
      } catch {
        throw new RangeError(`wasm kernel: out of memory (${Math.ceil(end / 2 ** 20)} MiB wanted, wasm32 holds at most 4096 MiB); use the native or js backend`);
      }
      s.current = s.memory.buffer;
      s.buffers.add(s.current);
    }
    s.top = end;
    return offset;
  }

  /** The byte offset of a buffer this kernel allocated, once it is known to hold `needed` values. */
  private pointer(view: Float32Array | Int32Array, needed: number, what: string): number {
    const buffer = view.buffer;
    const s = this.instance;
    if (s === null || (buffer !== s.current && !s.buffers.has(buffer))) throw new Error(`wasm kernel: ${what} was not allocated by this kernel (use kernel.alloc)`);
    if (view.length < needed) throw new RangeError(`wasm kernel: ${what} holds ${view.length} values, smaller than the ${needed} its shape needs`);
    return view.byteOffset;
  }
}

function withScratch(args: GemmArgs, scratch: number): GemmArgs {
  args[13] = scratch;
  return args;
}

/**
 * Splits C into `parts` slices along its longer side (8-column or 4-row aligned, the micro-kernel's
 * tile), each a product of its own. Sums per element are unchanged, so results equal the unsplit ones.
 */
function sliceProduct(ta: number, tb: number, m: number, n: number, k: number, alpha: number, a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, parts: number): GemmArgs[] {
  const slices: GemmArgs[] = [];
  const byColumns = n >= m;
  const extent = byColumns ? n : m;
  const unit = byColumns ? 8 : 4;
  const step = Math.ceil(extent / parts / unit) * unit;
  for (let start = 0; start < extent; start += step) {
    const size = Math.min(step, extent - start);
    if (byColumns) {
      slices.push([ta, tb, m, size, k, alpha, a, lda, b + 4 * start * (tb ? ldb : 1), ldb, beta, c + 4 * start, ldc, 0]);
    } else {
      slices.push([ta, tb, size, n, k, alpha, a + 4 * start * (ta ? 1 : lda), lda, b, ldb, beta, c + 4 * start * ldc, ldc, 0]);
    }
  }
  return slices;
}
