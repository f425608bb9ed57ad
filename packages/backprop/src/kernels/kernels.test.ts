import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, type Activation, type Loss } from '../spec.ts';
import { gatherRows } from '../batches.ts';
import { JsKernel } from './js-kernel.ts';
import type { Kernel } from './kernel.ts';
import { availableBackends, selectKernel, type Backend } from './select.ts';

// Every available kernel against oracles, op by op. Tolerances:
// - gemm: each element within GEMM_TOLERANCE × (Σ_p |α·A_ip·B_pj| + |β·C_ij|) of the float64 product
//   (float32 rounding of blocked sums stays far inside this for the k used here);
// - element-wise ops, losses and optimizer updates: within ELEMENTWISE_TOLERANCE × max(1, |expected|)
//   of the js reference (float32 vs the reference's float64 intermediates, a few ulp).
const GEMM_TOLERANCE = 1e-5;
const ELEMENTWISE_TOLERANCE = 2e-6;
const reference = new JsKernel();
const fastBackends = availableBackends().filter((b) => b !== 'js');

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
}

function filled(kernel: Kernel, length: number, next: () => number, scale = 2): Float32Array {
  const out = kernel.alloc(length);
  for (let i = 0; i < length; i++) out[i] = next() * scale;
  return out;
}

function copyInto(kernel: Kernel, values: ArrayLike<number>): Float32Array {
  const out = kernel.alloc(values.length);
  out.set(values);
  return out;
}

function expectClose(actual: Float32Array, expected: ArrayLike<number>, what: string, tolerance = ELEMENTWISE_TOLERANCE): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    if (!(error <= tolerance)) expect.fail(`${what}[${i}]: ${actual[i]} vs ${expected[i]} (relative error ${error})`);
  }
}

/** C = α·op(A)·op(B) + β·C in float64, with each element's condition Σ|terms|. */
function gemm64(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float32Array, b: Float32Array, beta: number, c: Float32Array) {
  const value = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let magnitude = 0;
      for (let p = 0; p < k; p++) {
        const term = (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
        sum += term;
        magnitude += Math.abs(term);
      }
      const old = beta === 0 ? 0 : beta * c[i * n + j];
      value[i * n + j] = alpha * sum + old;
      scale[i * n + j] = Math.abs(alpha) * magnitude + Math.abs(old);
    }
  return { value, scale };
}

// Shapes around every blocking edge: SIMD widths (4, 8), micro-tiles (wasm 4×8, native small 4×16),
// the native small-GEMM cut-off (48³), the wasm KC = 256 / MC = 128 / NC = 2048 blocks, products big
// enough (wasm ≥ 2²¹; native ≥ 2²⁶ below) to be split between threads by columns and by rows, and empty products.
const GEMM_SHAPES: [number, number, number][] = [
  [1, 1, 1], [3, 5, 7], [4, 8, 4], [7, 13, 5], [9, 17, 33], [33, 17, 65], [47, 48, 49], [50, 50, 50],
  [128, 10, 784], [150, 36, 300], [5, 2051, 3], [3, 3100, 40], [1, 3, 9000], [300, 260, 220], [520, 200, 170], [0, 4, 4], [4, 0, 4], [4, 4, 0],
];
const TRANSPOSES = [[false, false], [false, true], [true, false], [true, true]] as const;

// Native's OpenBLAS path is checked on one thread and on two (our threads split the products).
const GEMM_KERNELS = availableBackends().flatMap((backend): [Backend, number][] => (backend === 'native' ? [[backend, 1], [backend, 2]] : [[backend, 1]]));

describe.each(GEMM_KERNELS)('%s gemm (%i threads) against the float64 product', (backend: Backend, threads: number) => {
  it.each(GEMM_SHAPES)('%i×%i×%i, all transposes, α and β', (m, n, k) => {
    const kernel = selectKernel({ backend, threads });
    const next = random(m * 7919 + n * 31 + k);
    for (const [transA, transB] of TRANSPOSES) {
      for (const [alpha, beta] of [[1, 0], [0.5, 0.25], [-2, 1]]) {
        const a = filled(kernel, m * k, next);
        const b = filled(kernel, k * n, next);
        const c = filled(kernel, m * n, next);
        const expected = gemm64(transA, transB, m, n, k, alpha, a, b, beta, c);
        kernel.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
        for (let i = 0; i < m * n; i++) {
          const error = Math.abs(c[i] - expected.value[i]);
          if (!(error <= GEMM_TOLERANCE * expected.scale[i] + 1e-30)) {
            expect.fail(`${m}×${n}×${k} transA=${transA} transB=${transB} α=${alpha} β=${beta}: C[${i}] = ${c[i]}, float64 ${expected.value[i]}`);
          }
        }
      }
    }
  });

  // Products of ≥ 2²⁶ multiply-adds are split between the native kernel's threads (native/parallel-gemm.h).
  it.runIf(backend === 'native' && threads > 1).each([[420, 460, 360], [700, 300, 330]])(
    '%i×%i×%i, split between threads by columns or rows, all transposes',
    (m, n, k) => {
      const kernel = selectKernel({ backend, threads });
      const next = random(m + n + k);
      for (const [transA, transB] of TRANSPOSES) {
        const a = filled(kernel, m * k, next);
        const b = filled(kernel, k * n, next);
        const c = filled(kernel, m * n, next);
        const expected = gemm64(transA, transB, m, n, k, 0.5, a, b, 0.25, c);
        kernel.gemm(transA, transB, m, n, k, 0.5, a, b, 0.25, c);
        for (let i = 0; i < m * n; i++) {
          if (!(Math.abs(c[i] - expected.value[i]) <= GEMM_TOLERANCE * expected.scale[i] + 1e-30)) {
            expect.fail(`${m}×${n}×${k} transA=${transA} transB=${transB}: C[${i}] = ${c[i]}, float64 ${expected.value[i]}`);
          }
        }
      }
    },
  );

  it('writes only the C it is given (views at an offset stay untouched around it)', () => {
    const kernel = selectKernel({ backend });
    const next = random(9);
    const [m, n, k] = [6, 10, 12];
    const a = filled(kernel, m * k, next);
    const b = filled(kernel, k * n, next);
    const whole = filled(kernel, m * n + 40, next);
    const before = Float32Array.from(whole);
    kernel.gemm(false, true, m, n, k, 1, a, b, 0, whole.subarray(20, 20 + m * n));
    expect(Array.from(whole.subarray(0, 20))).toEqual(Array.from(before.subarray(0, 20)));
    expect(Array.from(whole.subarray(20 + m * n))).toEqual(Array.from(before.subarray(20 + m * n)));
  });
});

describe.each(fastBackends)('%s element-wise ops against the js reference', (backend: Backend) => {
  const kernel = selectKernel({ backend });

  it.each(ACTIVATIONS)('biasActivation and activationBackward: %s', (activation: Activation) => {
    const next = random(3);
    for (const [rows, cols] of [[1, 1], [9, 7], [33, 130]]) {
      const z = filled(kernel, rows * cols, next, 16);
      z[0] = 0; // the relu family's kink: derivative 0 (relu) or the slope (leaky), as the reference
      const bias = filled(kernel, cols, next);
      const zRef = Float32Array.from(z);
      const out = kernel.alloc(rows * cols);
      const outRef = new Float32Array(rows * cols);
      bias[0] = 0;
      reference.biasActivation(zRef, bias, rows, cols, activation, outRef);
      kernel.biasActivation(z, bias, rows, cols, activation, out);
      expectClose(z, zRef, `${rows}×${cols} z after bias`);
      expectClose(out, outRef, `${rows}×${cols} ${activation}`);
      if (activation === 'softmax') {
        expect(() => kernel.activationBackward(out, z, out, rows * cols, activation)).toThrow(/softmax/);
        continue;
      }
      const delta = filled(kernel, rows * cols, next);
      const deltaRef = Float32Array.from(delta);
      reference.activationBackward(deltaRef, zRef, outRef, rows * cols, activation);
      kernel.activationBackward(delta, z, out, rows * cols, activation);
      expectClose(delta, deltaRef, `${rows}×${cols} ${activation}'`);
    }
  });

  it('softmax and sigmoid stay finite and exact at the extremes', () => {
    const z = copyInto(kernel, [1000, -1000, 0, 88, -104, 30, -30, 1e-9]);
    const out = kernel.alloc(8);
    kernel.biasActivation(z, kernel.alloc(8), 1, 8, 'sigmoid', out);
    const outRef = new Float32Array(8);
    reference.biasActivation(Float32Array.from(z), new Float32Array(8), 1, 8, 'sigmoid', outRef);
    expectClose(out, outRef, 'sigmoid');
    kernel.biasActivation(z, kernel.alloc(4), 2, 4, 'softmax', out);
    reference.biasActivation(Float32Array.from(z), new Float32Array(4), 2, 4, 'softmax', outRef);
    expectClose(out, outRef, 'softmax');
    kernel.biasActivation(z, kernel.alloc(8), 1, 8, 'tanh', out);
    reference.biasActivation(Float32Array.from(z), new Float32Array(8), 1, 8, 'tanh', outRef);
    expectClose(out, outRef, 'tanh');
    expect(out[7] / 1e-9).toBeCloseTo(1, 6); // tanh x ≈ x near 0, relatively
  });

  it.each([
    ['cross_entropy', 'softmax'],
    ['cross_entropy', 'sigmoid'],
    ['binary_cross_entropy', 'sigmoid'],
    ['mse', 'linear'],
    ['mse', 'tanh'],
    ['mse', 'relu'],
  ] as [Loss, Activation][])('outputDelta: %s with %s', (loss, activation) => {
    const next = random(4);
    for (const [rows, cols] of [[6, 3], [13, 1], [64, 10]]) {
      const z = filled(kernel, rows * cols, next, 4);
      const yhat = kernel.alloc(rows * cols);
      reference.biasActivation(Float32Array.from(z), new Float32Array(cols), rows, cols, activation, yhat);
      const y = kernel.alloc(rows * cols);
      if (loss === 'mse') for (let i = 0; i < y.length; i++) y[i] = next();
      else for (let r = 0; r < rows; r++) y[r * cols + (r % cols)] = 1;
      const delta = kernel.alloc(rows * cols);
      const deltaRef = new Float32Array(rows * cols);
      const lossRef = reference.outputDelta(loss, activation, z, yhat, y, rows, cols, deltaRef);
      const value = kernel.outputDelta(loss, activation, z, yhat, y, rows, cols, delta);
      expect(Math.abs(value - lossRef) / Math.max(1, Math.abs(lossRef)), `${rows}×${cols} loss`).toBeLessThanOrEqual(ELEMENTWISE_TOLERANCE);
      expectClose(delta, deltaRef, `${rows}×${cols} δ`);
    }
  });

  it.each([
    ['cross_entropy', 'softmax'],
    ['cross_entropy', 'sigmoid'],
    ['binary_cross_entropy', 'sigmoid'],
    ['mse', 'linear'],
    ['mse', 'tanh'],
    ['mse', 'relu'],
    ['mse', 'sigmoid'],
  ] as [Loss, Activation][])('outputDelta with row weights: %s with %s', (loss, activation) => {
    const next = random(6);
    for (const [rows, cols] of [[6, 3], [13, 1], [64, 10]]) {
      const z = filled(kernel, rows * cols, next, 4);
      const yhat = kernel.alloc(rows * cols);
      reference.biasActivation(Float32Array.from(z), new Float32Array(cols), rows, cols, activation, yhat);
      const y = kernel.alloc(rows * cols);
      if (loss === 'mse') for (let i = 0; i < y.length; i++) y[i] = next();
      else for (let r = 0; r < rows; r++) y[r * cols + (r % cols)] = 1;
      const weights = copyInto(kernel, Array.from({ length: rows }, (_, r) => (r % 5 === 2 ? 0 : next() + 0.5)));
      const delta = kernel.alloc(rows * cols);
      const deltaRef = new Float32Array(rows * cols);
      const lossRef = reference.outputDelta(loss, activation, z, yhat, y, rows, cols, deltaRef, weights);
      const value = kernel.outputDelta(loss, activation, z, yhat, y, rows, cols, delta, weights);
      expect(Math.abs(value - lossRef) / Math.max(1, Math.abs(lossRef)), `${rows}×${cols} weighted loss`).toBeLessThanOrEqual(ELEMENTWISE_TOLERANCE);
      expectClose(delta, deltaRef, `${rows}×${cols} weighted δ`);
    }
  });

  it('outputDelta reports a NaN prediction as a NaN loss (divergence detection)', () => {
    const yhat = copyInto(kernel, [0.5, NaN, 0.25, 0.75]);
    const y = copyInto(kernel, [1, 0, 0, 1]);
    expect(kernel.outputDelta('cross_entropy', 'softmax', yhat, yhat, y, 2, 2, kernel.alloc(4))).toBeNaN();
  });

  it('columnSum, sgdUpdate (plain, momentum, nesterov, weight decay) and adamUpdate', () => {
    const next = random(5);
    for (const [rows, cols] of [[1, 1], [11, 5], [128, 37]]) {
      const m = filled(kernel, rows * cols, next);
      const sums = kernel.alloc(cols);
      const sumsRef = new Float32Array(cols);
      reference.columnSum(m, rows, cols, sumsRef);
      kernel.columnSum(m, rows, cols, sums);
      expectClose(sums, sumsRef, `${rows}×${cols} column sums`, 1e-5);
    }
    for (const length of [1, 7, 1001]) {
      for (const [momentum, nesterov, decay] of [[0, false, 0], [0, false, 0.01], [0.9, false, 0.01], [0.9, true, 0]] as const) {
        const w = filled(kernel, length, next);
        const g = filled(kernel, length, next);
        const v = filled(kernel, length, next);
        const [wRef, vRef] = [Float32Array.from(w), Float32Array.from(v)];
        reference.sgdUpdate(wRef, g, vRef, length, 0.1, momentum, nesterov, decay);
        kernel.sgdUpdate(w, g, v, length, 0.1, momentum, nesterov, decay);
        expectClose(w, wRef, `sgd w (momentum ${momentum}, nesterov ${nesterov}, decay ${decay})`);
        expectClose(v, vRef, 'sgd velocity');
      }
      for (const t of [1, 3, 1000]) {
        const w = filled(kernel, length, next);
        const g = filled(kernel, length, next);
        const m1 = filled(kernel, length, next, 0.1);
        const v1 = copyInto(kernel, Array.from(filled(kernel, length, next), Math.abs));
        const [wRef, mRef, vRef] = [Float32Array.from(w), Float32Array.from(m1), Float32Array.from(v1)];
        reference.adamUpdate(wRef, g, mRef, vRef, length, 0.01, 0.9, 0.999, 1e-8, 0.01, t);
        kernel.adamUpdate(w, g, m1, v1, length, 0.01, 0.9, 0.999, 1e-8, 0.01, t);
        expectClose(w, wRef, `adam w (t=${t})`);
        expectClose(m1, mRef, 'adam m');
        expectClose(v1, vRef, 'adam v');
      }
    }
  });
});

describe.each(fastBackends)('%s kernel rejects what it cannot compute on', (backend: Backend) => {
  const kernel = selectKernel({ backend });

  it('buffers smaller than their shapes', () => {
    expect(() => kernel.gemm(false, false, 4, 4, 4, 1, kernel.alloc(3), kernel.alloc(16), 0, kernel.alloc(16))).toThrow(/gemm A holds 3 values, smaller than the 16/);
    expect(() => kernel.columnSum(kernel.alloc(6), 2, 4, kernel.alloc(4))).toThrow(/smaller/);
    expect(() => kernel.sgdUpdate(kernel.alloc(4), kernel.alloc(2), kernel.alloc(4), 4, 0.1, 0.9, false, 0)).toThrow(/smaller/);
    const eight = kernel.alloc(8);
    expect(() => kernel.outputDelta('mse', 'linear', eight, eight, eight, 4, 2, kernel.alloc(8), kernel.alloc(3))).toThrow(/outputDelta weights holds 3 values, smaller than the 4/);
  });

  it('buffers it did not allocate', () => {
    const other = new Float32Array(16);
    expect(() => kernel.gemm(false, false, 4, 4, 4, 1, other, kernel.alloc(16), 0, kernel.alloc(16))).toThrow(/not allocated by this kernel/);
    expect(() => kernel.columnSum(kernel.alloc(16), 4, 4, selectKernel({ backend }).alloc(4))).toThrow(/not allocated by this kernel/);
    const eight = kernel.alloc(8);
    expect(() => kernel.outputDelta('mse', 'linear', eight, eight, eight, 4, 2, kernel.alloc(8), new Float32Array(4))).toThrow(/outputDelta weights was not allocated/);
  });

  it('dimensions that are not whole non-negative numbers', () => {
    const buffer = kernel.alloc(16);
    expect(() => kernel.gemm(false, false, -1, 4, 4, 1, buffer, buffer, 0, buffer)).toThrow(/m = -1/);
    expect(() => kernel.gemm(false, false, 2, 2.5, 2, 1, buffer, buffer, 0, buffer)).toThrow(/n = 2.5/);
  });

  it('hands out zeroed buffers that stay valid while more are allocated', () => {
    const first = kernel.alloc(5);
    first.set([1, 2, 3, 4, 5]);
    const big = kernel.alloc(12_000_000); // forces new memory (wasm: grows; native: a new chunk)
    expect(big[big.length - 1]).toBe(0);
    expect(Array.from(first)).toEqual([1, 2, 3, 4, 5]);
    const sums = kernel.alloc(1);
    kernel.columnSum(first, 5, 1, sums);
    expect(sums[0]).toBe(15);
  });
});

describe.runIf(availableBackends().includes('native'))('native minibatch gather', () => {
  it('copies the listed rows, like the JavaScript gather, and declines shared memory', () => {
    const kernel = selectKernel({ backend: 'native' });
    const features = 37;
    const rows = 50;
    const x = Float32Array.from({ length: rows * features }, (_, i) => i * 0.5 - 7);
    const order = Uint32Array.from({ length: rows }, (_, i) => (i * 17 + 3) % rows);
    const out = kernel.alloc(12 * features);
    const expected = new Float32Array(12 * features);
    gatherRows(x, features, order, 30, 12, expected);
    expect(kernel.gatherRows!(x, features, order, 30, 12, out)).toBe(true);
    expect(Array.from(out)).toEqual(Array.from(expected));
    expect(() => kernel.gatherRows!(x, features, order, 45, 12, out)).toThrow(RangeError);
    const outside = Uint32Array.from([0, rows]);
    expect(() => kernel.gatherRows!(x, features, outside, 0, 2, out)).toThrow(RangeError);
    const shared = new Float32Array(new SharedArrayBuffer(x.byteLength));
    shared.set(x);
    expect(kernel.gatherRows!(shared, features, order, 0, 12, out)).toBe(false);
  });
});
