import { Worker } from 'node:worker_threads';
import type { WasmMemory, WasmModule } from './wasm-api.ts';

/** Int32 slots of a helper's control block (in wasm memory); arguments start at `args`. */
const SLOTS = { seq: 0, done: 1, ready: 2, failed: 3, args: 4, size: 20 } as const;
/** Polls of the control word before a thread sleeps: waking a sleeping thread costs tens of µs. */
const SPIN_POLLS = 20_000;
/** A helper that has not answered in this long is treated as gone (a clear error, never a hang). */
const HELPER_TIMEOUT_MS = 30_000;

export type GemmFunction = (
  transA: number, transB: number, m: number, n: number, k: number, alpha: number, a: number, lda: number,
  b: number, ldb: number, beta: number, c: number, ldc: number, scratch: number,
) => void;

/** The arguments of one slice of a product, as the wasm `gemm` takes them. */
export type GemmArgs = Parameters<GemmFunction>;

/**
 * One extra thread for the wasm GEMM: a worker sharing the kernel's memory, driven through a control
 * block in that memory with Atomics (no messages per call). Until its worker is up, `ready` is false.
 */
export class GemmHelper {
  private readonly ints: Int32Array;
  private readonly floats: Float32Array;
  private readonly worker: Worker;
  private seq = 0;

  constructor(module: WasmModule, memory: WasmMemory, control: number) {
    this.ints = new Int32Array(memory.buffer, control, SLOTS.size);
    this.floats = new Float32Array(memory.buffer, control, SLOTS.size);
    this.worker = new Worker(new URL('../../wasm/helper.mjs', import.meta.url), {
      workerData: { module, memory, control, slots: SLOTS, spin: SPIN_POLLS },
    });
    this.worker.unref();
    this.worker.on('error', () => Atomics.store(this.ints, SLOTS.failed, 1));
  }

  static readonly controlBytes = SLOTS.size * 4;

  get ready(): boolean {
    return Atomics.load(this.ints, SLOTS.ready) === 1 && Atomics.load(this.ints, SLOTS.failed) === 0;
  }

  /** Hands the helper its slice; `finish` must follow before the next `start`. */
  start(args: GemmArgs): void {
    const at = SLOTS.args;
    for (let i = 0; i < args.length; i++) {
      if (i === 5 || i === 10) this.floats[at + i] = args[i];
      else this.ints[at + i] = args[i];
    }
    Atomics.store(this.ints, SLOTS.seq, ++this.seq);
    Atomics.notify(this.ints, SLOTS.seq);
  }

  /** Waits until the helper's slice is done. */
  finish(): void {
    const ints = this.ints;
    for (let i = 0; i < SPIN_POLLS && Atomics.load(ints, SLOTS.done) !== this.seq; i++);
    const deadline = Date.now() + HELPER_TIMEOUT_MS;
    while (Atomics.load(ints, SLOTS.done) !== this.seq) {
      if (Date.now() > deadline) throw new Error('wasm kernel: the GEMM helper thread stopped answering');
      Atomics.wait(ints, SLOTS.done, this.seq - 1, 100);
    }
    if (Atomics.load(ints, SLOTS.failed) !== 0) throw new Error('wasm kernel: the GEMM helper thread failed');
  }

  /** Stops the worker (idempotent). */
  close(): void {
    Atomics.store(this.ints, SLOTS.seq, -1);
    Atomics.notify(this.ints, SLOTS.seq);
    void this.worker.terminate();
  }
}
