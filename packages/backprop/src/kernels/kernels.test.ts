import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, type Activation } from '../spec.ts';
import { JsKernel } from './js-kernel.ts';
import type { Kernel } from './kernel.ts';
import { availableBackends, selectKernel } from './select.ts';

// Fast kernels compute in float32 with another summation order than the reference: agree to ~1e-5 relative.
const TOLERANCE = 2e-5;
const reference = new JsKernel();

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

function copyInto(kernel: Kernel, values: Float32Array): Float32Array {
  const out = kernel.alloc(values.length);
  out.set(values);
  return out;
}

function expectClose(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    if (!(error <= worst)) worst = error;
  }
  expect(worst, `${what}: worst relative error`).toBeLessThanOrEqual(TOLERANCE);
}

describe('js reference gemm against the definition', () => {
  it('computes all four transpose combinations', () => {
    const next = random(1);
    const [m, n, k] = [3, 4, 5];
    const a = filled(reference, m * k, next);
    const b = filled(reference, k * n, next);
    const naive = (transA: boolean, transB: boolean) => {
      const out = new Float32Array(m * n);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let sum = 0;
          for (let p = 0; p < k; p++) sum += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
          out[i * n + j] = sum;
        }
      return out;
    };
    for (const [transA, transB] of [[false, false], [false, true], [true, false], [true, true]] as const) {
      const c = new Float32Array(m * n);
      reference.gemm(transA, transB, m, n, k, 1, a, b, 0, c);
      expectClose(c, naive(transA, transB), `transA=${transA} transB=${transB}`);
    }
  });
});

describe.each(availableBackends().filter((name) => name !== 'js'))('%s kernel against the js reference', (backend) => {
  const kernel = selectKernel({ backend: backend as 'native' });

  it('gemm: every transpose combination, odd shapes, alpha and beta', () => {
    const next = random(2);
    for (const [m, n, k] of [[1, 1, 1], [7, 13, 5], [33, 17, 65], [128, 10, 784]]) {
      for (const [transA, transB] of [[false, false], [false, true], [true, false], [true, true]] as const) {
        const a = filled(kernel, m * k, next);
        const b = filled(kernel, k * n, next);
        const c0 = filled(kernel, m * n, next);
        const expected = Float32Array.from(c0);
        reference.gemm(transA, transB, m, n, k, 0.5, a, b, 0.25, expected);
        kernel.gemm(transA, transB, m, n, k, 0.5, a, b, 0.25, c0);
        expectClose(c0, expected, `${m}×${n}×${k} transA=${transA} transB=${transB}`);
      }
    }
  });

  it.each(ACTIVATIONS)('biasActivation and activationBackward: %s', (activation: Activation) => {
    const next = random(3);
    const [rows, cols] = [9, 7];
    const z = filled(kernel, rows * cols, next, 8);
    const bias = filled(kernel, cols, next);
    const zRef = Float32Array.from(z);
    const out = kernel.alloc(rows * cols);
    const outRef = new Float32Array(rows * cols);
    reference.biasActivation(zRef, bias, rows, cols, activation, outRef);
    kernel.biasActivation(z, bias, rows, cols, activation, out);
    expectClose(z, zRef, 'z after bias');
    expectClose(out, outRef, 'activation');
    if (activation === 'softmax') return;
    const delta = filled(kernel, rows * cols, next);
    const deltaRef = Float32Array.from(delta);
    reference.activationBackward(deltaRef, zRef, outRef, rows * cols, activation);
    kernel.activationBackward(delta, z, out, rows * cols, activation);
    expectClose(delta, deltaRef, 'derivative');
  });

  it.each([
    ['cross_entropy', 'softmax'],
    ['cross_entropy', 'sigmoid'],
    ['binary_cross_entropy', 'sigmoid'],
    ['mse', 'linear'],
    ['mse', 'tanh'],
  ] as const)('outputDelta: %s with %s', (loss, activation) => {
    const next = random(4);
    const [rows, cols] = [6, 3];
    const z = filled(kernel, rows * cols, next, 4);
    const yhat = kernel.alloc(rows * cols);
    reference.biasActivation(Float32Array.from(z), new Float32Array(cols), rows, cols, activation, yhat);
    const y = kernel.alloc(rows * cols);
    for (let r = 0; r < rows; r++) y[r * cols + (r % cols)] = 1;
    const delta = kernel.alloc(rows * cols);
    const deltaRef = new Float32Array(rows * cols);
    const lossRef = reference.outputDelta(loss, activation, z, yhat, y, rows, cols, deltaRef);
    const value = kernel.outputDelta(loss, activation, z, yhat, y, rows, cols, delta);
    expect(Math.abs(value - lossRef) / Math.max(1, Math.abs(lossRef))).toBeLessThan(TOLERANCE);
    expectClose(delta, deltaRef, 'δ');
  });

  it('columnSum, sgdUpdate (plain, momentum, nesterov) and adamUpdate', () => {
    const next = random(5);
    const m = filled(kernel, 11 * 5, next);
    const sums = kernel.alloc(5);
    const sumsRef = new Float32Array(5);
    reference.columnSum(m, 11, 5, sumsRef);
    kernel.columnSum(m, 11, 5, sums);
    expectClose(sums, sumsRef, 'column sums');

    for (const [momentum, nesterov] of [[0, false], [0.9, false], [0.9, true]] as const) {
      const w = filled(kernel, 50, next);
      const g = filled(kernel, 50, next);
      const v = filled(kernel, 50, next);
      const [wRef, vRef] = [Float32Array.from(w), Float32Array.from(v)];
      reference.sgdUpdate(wRef, g, vRef, 50, 0.1, momentum, nesterov, 0.01);
      kernel.sgdUpdate(w, g, v, 50, 0.1, momentum, nesterov, 0.01);
      expectClose(w, wRef, `sgd weights momentum=${momentum} nesterov=${nesterov}`);
      expectClose(v, vRef, 'sgd velocity');
    }
    const w = filled(kernel, 50, next);
    const g = filled(kernel, 50, next);
    const m1 = filled(kernel, 50, next, 0.1);
    const v1 = copyInto(kernel, Float32Array.from(filled(kernel, 50, next), Math.abs));
    const [wRef, mRef, vRef] = [Float32Array.from(w), Float32Array.from(m1), Float32Array.from(v1)];
    reference.adamUpdate(wRef, g, mRef, vRef, 50, 0.01, 0.9, 0.999, 1e-8, 0.01, 3);
    kernel.adamUpdate(w, g, m1, v1, 50, 0.01, 0.9, 0.999, 1e-8, 0.01, 3);
    expectClose(w, wRef, 'adam weights');
    expectClose(m1, mRef, 'adam m');
    expectClose(v1, vRef, 'adam v');
  });

  it('rejects buffers smaller than the shapes they are given', () => {
    expect(() => kernel.gemm(false, false, 4, 4, 4, 1, kernel.alloc(3), kernel.alloc(16), 0, kernel.alloc(16))).toThrow(/smaller/);
  });
});

describe('selection', () => {
  it('names the backend it picked and honours an explicit choice', () => {
    expect(availableBackends()).toContain('js');
    expect(selectKernel({ backend: 'js' }).name).toBe('js');
    expect(selectKernel().name).toBe(availableBackends()[0]);
  });
});
