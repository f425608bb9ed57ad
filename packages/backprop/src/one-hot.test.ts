import { describe, expect, it } from 'vitest';
import { availableBackends, selectKernel, type Backend } from './kernels/select.ts';
import type { Kernel } from './kernels/kernel.ts';
import { allocCodes, materializeOneHot, type OneHotBlock } from './one-hot.ts';

// The one-hot ops against the dense product on the materialised one-hot input, on every backend:
// forward z = a·Wᵀ (dense part by GEMM, blocks by oneHotForward) and backward ∇W = δᵀ·a (dense
// columns by GEMM, blocks by oneHotBackward), within the GEMM tolerance of the kernels' suite
// (1e-5 × Σ|terms| per element); and each sparse result is the same on every run.
const TOLERANCE = 1e-5;

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
}

interface Case {
  rows: number;
  out: number;
  /** Input layout: a number is that many dense columns, a block is a category of that many levels. */
  layout: (number | { levels: number })[];
}

// K is never a multiple of any block size; codes include −1 (missing) and the last ("other") slot.
const CASES: Case[] = [
  { rows: 37, out: 5, layout: [{ levels: 7 }] },
  { rows: 101, out: 16, layout: [3, { levels: 11 }, 2, { levels: 4 }, { levels: 13 }, 1] },
  { rows: 263, out: 64, layout: [{ levels: 300 }, 10] },
  { rows: 1, out: 3, layout: [{ levels: 2 }, 4] },
];

function build(kernel: Kernel, c: Case, seed: number) {
  const next = random(seed);
  const blocks: OneHotBlock[] = [];
  let inputs = 0;
  let denseWidth = 0;
  for (const part of c.layout) {
    if (typeof part === 'number') {
      denseWidth += part;
      inputs += part;
    } else {
      blocks.push({ offset: inputs, levels: part.levels });
      inputs += part.levels;
    }
  }
  const dense = kernel.alloc(c.rows * denseWidth);
  for (let i = 0; i < dense.length; i++) dense[i] = next() * 4;
  const codes = blocks.map((block) => {
    const values = allocCodes(kernel, c.rows);
    for (let k = 0; k < c.rows; k++) {
      const u = next() + 0.5;
      values[k] = u < 0.1 ? -1 : u < 0.2 ? block.levels - 1 : Math.min(block.levels - 1, Math.floor((next() + 0.5) * block.levels));
    }
    return values;
  });
  const w = kernel.alloc(c.out * inputs);
  for (let i = 0; i < w.length; i++) w[i] = next() * 2;
  const delta = kernel.alloc(c.rows * c.out);
  for (let i = 0; i < delta.length; i++) delta[i] = next();
  const a = kernel.alloc(c.rows * inputs);
  a.set(materializeOneHot(c.rows, inputs, dense, blocks, codes));
  return { blocks, inputs, denseWidth, dense, codes, w, delta, a };
}

/** The dense columns of W (out×denseWidth), in input order: what the dense part's GEMM multiplies. */
function denseColumns(kernel: Kernel, w: Float32Array, out: number, inputs: number, blocks: OneHotBlock[], denseWidth: number): Float32Array {
  const covered = new Uint8Array(inputs);
  for (const b of blocks) covered.fill(1, b.offset, b.offset + b.levels);
  const result = kernel.alloc(out * denseWidth);
  for (let o = 0; o < out; o++) {
    let d = 0;
    for (let j = 0; j < inputs; j++) if (!covered[j]) result[o * denseWidth + d++] = w[o * inputs + j];
  }
  return result;
}

/** Per element, |actual − expected| ≤ TOLERANCE × Σ|terms| (Σ|terms| from the float64 product). */
function expectProduct(actual: Float32Array, expected: Float32Array, magnitude: Float64Array, what: string): void {
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]);
    if (!(error <= TOLERANCE * Math.max(1, magnitude[i]))) expect.fail(`${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

function magnitudes(m: number, n: number, k: number, a: (i: number, p: number) => number, b: (p: number, j: number) => number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) out[i * n + j] += Math.abs(a(i, p) * b(p, j));
  return out;
}

function sparseForward(kernel: Kernel, c: Case, s: ReturnType<typeof build>): Float32Array {
  const z = kernel.alloc(c.rows * c.out);
  if (s.denseWidth > 0) kernel.gemm(false, true, c.rows, c.out, s.denseWidth, 1, s.dense, denseColumns(kernel, s.w, c.out, s.inputs, s.blocks, s.denseWidth), 0, z);
  s.blocks.forEach((b, i) => kernel.oneHotForward(z, s.w, c.out, s.inputs, s.codes[i], c.rows, b.offset, b.levels));
  return z;
}

function sparseBackward(kernel: Kernel, c: Case, s: ReturnType<typeof build>): Float32Array {
  // The dense columns by GEMM into their own matrix, scattered into ∇W; then each block in place.
  const grad = kernel.alloc(c.out * s.inputs);
  grad.fill(Number.NaN); // every column must be written
  const covered = new Uint8Array(s.inputs);
  for (const b of s.blocks) covered.fill(1, b.offset, b.offset + b.levels);
  if (s.denseWidth > 0) {
    const g = kernel.alloc(c.out * s.denseWidth);
    kernel.gemm(true, false, c.out, s.denseWidth, c.rows, 1, s.delta, s.dense, 0, g);
    for (let o = 0; o < c.out; o++) {
      let d = 0;
      for (let j = 0; j < s.inputs; j++) if (!covered[j]) grad[o * s.inputs + j] = g[o * s.denseWidth + d++];
    }
  }
  s.blocks.forEach((b, i) => kernel.oneHotBackward(s.delta, s.codes[i], c.rows, c.out, s.inputs, b.offset, b.levels, grad));
  return grad;
}

describe.each(availableBackends())('one-hot ops (%s)', (backend: Backend) => {
  const kernel = selectKernel({ backend, threads: 1 });

  it.each(CASES.map((c, i) => [i, c] as const))('case %i: forward equals a·Wᵀ on the materialised input', (i, c) => {
    const s = build(kernel, c, 11 + i);
    const expected = kernel.alloc(c.rows * c.out);
    kernel.gemm(false, true, c.rows, c.out, s.inputs, 1, s.a, s.w, 0, expected);
    const magnitude = magnitudes(c.rows, c.out, s.inputs, (k, j) => s.a[k * s.inputs + j], (j, o) => s.w[o * s.inputs + j]);
    const z = sparseForward(kernel, c, s);
    expectProduct(z, expected, magnitude, `${backend} z`);
    expect(sparseForward(kernel, c, s)).toEqual(z);
  });

  it.each(CASES.map((c, i) => [i, c] as const))('case %i: backward equals δᵀ·a on the materialised input', (i, c) => {
    const s = build(kernel, c, 23 + i);
    const expected = kernel.alloc(c.out * s.inputs);
    kernel.gemm(true, false, c.out, s.inputs, c.rows, 1, s.delta, s.a, 0, expected);
    const magnitude = magnitudes(c.out, s.inputs, c.rows, (o, k) => s.delta[k * c.out + o], (k, j) => s.a[k * s.inputs + j]);
    const grad = sparseBackward(kernel, c, s);
    expectProduct(grad, expected, magnitude, `${backend} ∇W`);
    expect(sparseBackward(kernel, c, s)).toEqual(grad);
  });

  it('missing and out-of-range codes select nothing; other columns are untouched', () => {
    const w = kernel.alloc(2 * 5);
    w.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const codes = allocCodes(kernel, 4);
    codes.set([-1, 0, 2, 3]); // block of 3 levels at offset 1: 3 is out of range
    const z = kernel.alloc(4 * 2);
    kernel.oneHotForward(z, w, 2, 5, codes, 4, 1, 3);
    expect(Array.from(z)).toEqual([0, 0, 2, 7, 4, 9, 0, 0]);
    const delta = kernel.alloc(4 * 2);
    delta.set([1, 1, 2, 3, 4, 5, 6, 7]);
    const grad = kernel.alloc(2 * 5);
    grad.fill(-1);
    kernel.oneHotBackward(delta, codes, 4, 2, 5, 1, 3, grad);
    expect(Array.from(grad)).toEqual([-1, 2, 0, 4, -1, -1, 3, 0, 5, -1]);
  });

  it('refuses a block outside the inputs and too few codes', () => {
    const w = kernel.alloc(2 * 5);
    const z = kernel.alloc(4 * 2);
    expect(() => kernel.oneHotForward(z, w, 2, 5, allocCodes(kernel, 4), 4, 3, 3)).toThrow(/outside the 5 inputs/);
    expect(() => kernel.oneHotBackward(z, allocCodes(kernel, 3), 4, 2, 5, 0, 3, w)).toThrow(/3 codes for 4 rows/);
  });
});

describe('one-hot ops across backends', () => {
  it('give the same forward and backward on every backend (bit for bit: the same sums in the same order)', () => {
    const c = CASES[1];
    const results = availableBackends().map((backend) => {
      const kernel = selectKernel({ backend, threads: 1 });
      const s = build(kernel, { ...c, layout: c.layout.filter((p) => typeof p !== 'number') }, 5);
      const z = kernel.alloc(c.rows * c.out);
      s.blocks.forEach((b, i) => kernel.oneHotForward(z, s.w, c.out, s.inputs, s.codes[i], c.rows, b.offset, b.levels));
      const grad = kernel.alloc(c.out * s.inputs);
      s.blocks.forEach((b, i) => kernel.oneHotBackward(s.delta, s.codes[i], c.rows, c.out, s.inputs, b.offset, b.levels, grad));
      return { z: Array.from(z), grad: Array.from(grad) };
    });
    for (const r of results.slice(1)) expect(r).toEqual(results[0]);
  });
});
