// The first layer on a table with a category column: one-hot block as codes (kernel.oneHotForward /
// oneHotBackward) vs the materialised one-hot matrix (gathered minibatch + GEMM), per backend.
// 100k rows, a 300-level category + 10 numbers, 64 units, minibatches of 128: one step is the layer's
// forward (z = a·Wᵀ) and weight gradient (∇W = δᵀ·a), the part of training the encoding changes.
// Memory is the training input the worker keeps (rows × what one row costs), measured as bytes held.
// usage: npm run bench:one-hot
import { allocCodes, availableBackends, selectKernel, type Kernel } from '@trainyard/backprop';
import { bestRate } from './measure.ts';
import { printTable, rate } from './table.ts';

const ROWS = 100_000;
const LEVELS = 300;
const NUMBERS = 10;
const UNITS = 64;
const BATCH = 128;
const INPUTS = NUMBERS + LEVELS; // numbers first, then the block (the order encodeRows gives here)

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

interface Layer {
  step(start: number): void;
  inputBytes: number;
}

function permutation(next: () => number): Uint32Array {
  const order = Uint32Array.from({ length: ROWS }, (_, i) => i);
  for (let i = ROWS - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

function materialised(kernel: Kernel, numbers: Float32Array, codes: Int32Array, order: Uint32Array): Layer {
  const x = kernel.alloc(ROWS * INPUTS);
  for (let r = 0; r < ROWS; r++) {
    x.set(numbers.subarray(r * NUMBERS, (r + 1) * NUMBERS), r * INPUTS);
    if (codes[r] >= 0) x[r * INPUTS + NUMBERS + codes[r]] = 1;
  }
  const w = kernel.alloc(UNITS * INPUTS).fill(0.01);
  const grad = kernel.alloc(UNITS * INPUTS);
  const batch = kernel.alloc(BATCH * INPUTS);
  const z = kernel.alloc(BATCH * UNITS);
  const delta = kernel.alloc(BATCH * UNITS).fill(0.001);
  return {
    inputBytes: x.byteLength,
    step(start) {
      if (!kernel.gatherRows?.(x, INPUTS, order, start, BATCH, batch)) {
        for (let r = 0; r < BATCH; r++) batch.set(x.subarray(order[start + r] * INPUTS, (order[start + r] + 1) * INPUTS), r * INPUTS);
      }
      kernel.gemm(false, true, BATCH, UNITS, INPUTS, 1, batch, w, 0, z);
      kernel.gemm(true, false, UNITS, INPUTS, BATCH, 1, delta, batch, 0, grad);
    },
  };
}

function sparse(kernel: Kernel, numbers: Float32Array, codes: Int32Array, order: Uint32Array): Layer {
  const x = kernel.alloc(ROWS * NUMBERS);
  x.set(numbers);
  const all = allocCodes(kernel, ROWS);
  all.set(codes);
  // W stays out×in; the numbers' columns are also kept as their own out×NUMBERS matrix for the GEMM.
  const w = kernel.alloc(UNITS * INPUTS).fill(0.01);
  const wNumbers = kernel.alloc(UNITS * NUMBERS).fill(0.01);
  const grad = kernel.alloc(UNITS * INPUTS);
  const gradNumbers = kernel.alloc(UNITS * NUMBERS);
  const batch = kernel.alloc(BATCH * NUMBERS);
  const batchCodes = allocCodes(kernel, BATCH);
  const z = kernel.alloc(BATCH * UNITS);
  const delta = kernel.alloc(BATCH * UNITS).fill(0.001);
  return {
    inputBytes: x.byteLength + all.byteLength,
    step(start) {
      if (!kernel.gatherRows?.(x, NUMBERS, order, start, BATCH, batch)) {
        for (let r = 0; r < BATCH; r++) batch.set(x.subarray(order[start + r] * NUMBERS, (order[start + r] + 1) * NUMBERS), r * NUMBERS);
      }
      for (let r = 0; r < BATCH; r++) batchCodes[r] = all[order[start + r]];
      kernel.gemm(false, true, BATCH, UNITS, NUMBERS, 1, batch, wNumbers, 0, z);
      kernel.oneHotForward(z, w, UNITS, INPUTS, batchCodes, BATCH, NUMBERS, LEVELS);
      kernel.gemm(true, false, UNITS, NUMBERS, BATCH, 1, delta, batch, 0, gradNumbers);
      kernel.oneHotBackward(delta, batchCodes, BATCH, UNITS, INPUTS, NUMBERS, LEVELS, grad);
    },
  };
}

async function samplesPerSecond(layer: Layer): Promise<number> {
  let start = 0;
  return bestRate(BATCH, (steps) => {
    for (let s = 0; s < steps; s++) {
      if (start + BATCH > ROWS) start = 0;
      layer.step(start);
      start += BATCH;
    }
  });
}

const next = random(7);
const numbers = Float32Array.from({ length: ROWS * NUMBERS }, () => next() * 2 - 1);
const codes = Int32Array.from({ length: ROWS }, () => (next() < 0.02 ? -1 : Math.floor(next() * LEVELS)));
const order = permutation(next);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const rows: string[][] = [['backend', 'materialised samples/s', 'one-hot codes samples/s', 'speed-up', 'input materialised', 'input as codes']];
for (const backend of availableBackends()) {
  const kernel = selectKernel({ backend, threads: 1 });
  const dense = materialised(kernel, numbers, codes, order);
  const denseRate = await samplesPerSecond(dense);
  const codesLayer = sparse(kernel, numbers, codes, order);
  const codesRate = await samplesPerSecond(codesLayer);
  rows.push([backend, rate(denseRate), rate(codesRate), `${(codesRate / denseRate).toFixed(2)}×`, mib(dense.inputBytes), mib(codesLayer.inputBytes)]);
}
console.log(`First layer, ${ROWS.toLocaleString('en-US')} rows: ${NUMBERS} numbers + a ${LEVELS}-level category → ${UNITS} units, minibatches of ${BATCH} (forward + ∇W), 1 thread`);
printTable(rows);
