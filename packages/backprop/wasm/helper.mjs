// GEMM helper thread of the wasm kernel (src/kernels/wasm-threads.ts): shares the kernel's memory,
// waits on a control block inside it, computes its slice of each product, and reports back.
// Plain JavaScript so that it runs under any loader.
import { workerData } from 'node:worker_threads';

const { module, memory, control, slots, spin } = workerData;
const SEQ = slots.seq, DONE = slots.done, READY = slots.ready, FAILED = slots.failed, ARGS = slots.args;
const ints = new Int32Array(memory.buffer, control, slots.size);
const floats = new Float32Array(memory.buffer, control, slots.size);
const { gemm } = new WebAssembly.Instance(module, { env: { memory } }).exports;

Atomics.store(ints, READY, 1);
Atomics.notify(ints, READY);
let seen = 0;
for (;;) {
  for (let i = 0; i < spin && Atomics.load(ints, SEQ) === seen; i++);
  Atomics.wait(ints, SEQ, seen);
  const seq = Atomics.load(ints, SEQ);
  if (seq < 0) break;
  seen = seq;
  try {
    const a = ARGS;
    gemm(ints[a], ints[a + 1], ints[a + 2], ints[a + 3], ints[a + 4], floats[a + 5], ints[a + 6], ints[a + 7], ints[a + 8],
      ints[a + 9], floats[a + 10], ints[a + 11], ints[a + 12], ints[a + 13]);
  } catch {
    Atomics.store(ints, FAILED, 1);
  }
  Atomics.store(ints, DONE, seq);
  Atomics.notify(ints, DONE);
}
