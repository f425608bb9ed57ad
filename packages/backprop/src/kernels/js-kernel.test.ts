import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.ts';
import { LEAKY_RELU_SLOPE, type Activation, type Loss } from '../spec.ts';
import { JsKernel } from './js-kernel.ts';

// The reference kernel against the textbook formulas, evaluated here in float64.
const kernel = new JsKernel();
const ELEMENTWISE: Activation[] = ['linear', 'relu', 'leaky_relu', 'sigmoid', 'tanh'];

function randomArray(rng: Rng, length: number, scale = 2): Float32Array {
  return Float32Array.from({ length }, () => (rng.next() - 0.5) * 2 * scale);
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tolerance = 1e-5): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    if (!(error <= tolerance)) expect.fail(`${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

function f(activation: Activation, z: number): number {
  switch (activation) {
    case 'relu': return Math.max(0, z);
    case 'leaky_relu': return z > 0 ? z : LEAKY_RELU_SLOPE * z;
    case 'sigmoid': return 1 / (1 + Math.exp(-z));
    case 'tanh': return Math.tanh(z);
    default: return z;
  }
}

function derivative(activation: Activation, z: number): number {
  switch (activation) {
    case 'relu': return z > 0 ? 1 : 0;
    case 'leaky_relu': return z > 0 ? 1 : LEAKY_RELU_SLOPE;
    case 'sigmoid': return f('sigmoid', z) * (1 - f('sigmoid', z));
    case 'tanh': return 1 - Math.tanh(z) ** 2;
    default: return 1;
  }
}

describe('js kernel gemm', () => {
  it('matches the definition of C = α·op(A)·op(B) + β·C for random shapes and every transpose pair', () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 12; trial++) {
      const [m, n, k] = [1 + Math.floor(rng.next() * 9), 1 + Math.floor(rng.next() * 9), 1 + Math.floor(rng.next() * 9)];
      const [alpha, beta] = [[1, 0], [0.5, 1], [-2, 0.25]][trial % 3];
      for (const [transA, transB] of [[false, false], [false, true], [true, false], [true, true]] as const) {
        const a = randomArray(rng, m * k);
        const b = randomArray(rng, k * n);
        const c = randomArray(rng, m * n);
        const expected = Array.from({ length: m * n }, (_, index) => {
          const [i, j] = [Math.floor(index / n), index % n];
          let sum = 0;
          for (let p = 0; p < k; p++) sum += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
          return alpha * sum + beta * c[index];
        });
        kernel.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
        expectClose(c, expected, `gemm ${transA ? 'T' : 'N'}${transB ? 'T' : 'N'} ${m}×${n}×${k} α=${alpha} β=${beta}`);
      }
    }
  });
});

describe('js kernel element-wise ops', () => {
  const rows = 4;
  const cols = 5;

  it.each([...ELEMENTWISE, 'softmax' as const])('biasActivation %s adds the bias per row and applies f', (activation) => {
    const rng = new Rng(3);
    const z = randomArray(rng, rows * cols, 4);
    const bias = randomArray(rng, cols);
    const pre = Array.from(z, (v, i) => v + bias[i % cols]);
    const out = new Float32Array(rows * cols);
    kernel.biasActivation(z, bias, rows, cols, activation, out);
    expectClose(z, pre, 'z keeps the pre-activation');
    if (activation !== 'softmax') return expectClose(out, pre.map((v) => f(activation, v)), activation);
    for (let r = 0; r < rows; r++) {
      const row = pre.slice(r * cols, (r + 1) * cols);
      const sum = row.reduce((total, v) => total + Math.exp(v), 0);
      expectClose(out.subarray(r * cols, (r + 1) * cols), row.map((v) => Math.exp(v) / sum), `softmax row ${r}`);
    }
  });

  it('softmax stays finite for large logits', () => {
    const z = Float32Array.from([1000, 999, -1000]);
    const out = new Float32Array(3);
    kernel.biasActivation(z, new Float32Array(3), 1, 3, 'softmax', out);
    expectClose(out, [1 / (1 + Math.exp(-1)), Math.exp(-1) / (1 + Math.exp(-1)), 0], 'softmax of large logits');
  });

  it.each(ELEMENTWISE)("activationBackward %s multiplies δ by f'(z)", (activation) => {
    const rng = new Rng(5);
    const z = randomArray(rng, rows * cols, 3);
    const a = Float32Array.from(z, (v) => f(activation, v));
    const delta = randomArray(rng, rows * cols);
    const expected = Array.from(delta, (d, i) => d * derivative(activation, z[i]));
    kernel.activationBackward(delta, z, a, rows * cols, activation);
    expectClose(delta, expected, activation);
  });

  const outputCases: [Loss, Activation][] = [
    ['cross_entropy', 'softmax'], ['binary_cross_entropy', 'sigmoid'], ['cross_entropy', 'sigmoid'],
    ...ELEMENTWISE.map((activation): [Loss, Activation] => ['mse', activation]),
  ];
  it.each(outputCases)('outputDelta %s with %s: batch-mean loss and δ = ∂L/∂z', (loss, activation) => {
    const rng = new Rng(7);
    const z = randomArray(rng, rows * cols, 2);
    const yhat = new Float32Array(rows * cols);
    kernel.biasActivation(Float32Array.from(z), new Float32Array(cols), rows, cols, activation, yhat);
    const y = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < cols; j++) {
        if (activation === 'softmax') y[r * cols + j] = j === r % cols ? 1 : 0;
        else y[r * cols + j] = loss === 'mse' ? rng.next() * 2 - 1 : (r + j) % 2;
      }
    }
    let total = 0;
    const expectedDelta = Array.from(yhat, (p, i) => {
      const t = y[i];
      if (loss === 'mse') {
        total += (p - t) ** 2 / (rows * cols);
        return (2 * (p - t)) / (rows * cols) * derivative(activation, z[i]);
      }
      total -= (t * Math.log(p) + (activation === 'sigmoid' ? (1 - t) * Math.log(1 - p) : 0)) / rows;
      return (p - t) / rows;
    });
    const delta = new Float32Array(rows * cols);
    const value = kernel.outputDelta(loss, activation, z, yhat, y, rows, cols, delta);
    expect(value).toBeCloseTo(total, 5);
    expectClose(delta, expectedDelta, `δ for ${loss}/${activation}`);
  });

  it('columnSum sums each column over the rows', () => {
    const rng = new Rng(9);
    const m = randomArray(rng, rows * cols);
    const out = new Float32Array(cols).fill(123);
    kernel.columnSum(m, rows, cols, out);
    expectClose(out, Array.from({ length: cols }, (_, j) => {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += m[r * cols + j];
      return sum;
    }), 'columnSum');
  });
});

describe('js kernel optimizer updates over several steps', () => {
  const length = 7;

  it.each([
    [0, false, 0], [0.9, false, 0], [0.9, true, 0], [0.5, true, 0.01],
  ])('sgd momentum=%f nesterov=%s weightDecay=%f', (momentum, nesterov, weightDecay) => {
    const rng = new Rng(13);
    const w = randomArray(rng, length);
    const velocity = new Float32Array(length);
    const reference = Array.from(w);
    const referenceVelocity = new Array<number>(length).fill(0);
    const lr = 0.1;
    for (let step = 0; step < 4; step++) {
      const g = randomArray(rng, length);
      for (let i = 0; i < length; i++) {
        const grad = g[i] + weightDecay * reference[i];
        referenceVelocity[i] = momentum * referenceVelocity[i] + grad;
        reference[i] -= lr * (nesterov ? grad + momentum * referenceVelocity[i] : referenceVelocity[i]);
      }
      kernel.sgdUpdate(w, g, velocity, length, lr, momentum, nesterov, weightDecay);
    }
    expectClose(w, reference, 'weights');
  });

  it.each([[0], [0.01]])('adam with decoupled weightDecay=%f', (weightDecay) => {
    const rng = new Rng(17);
    const w = randomArray(rng, length);
    const [m, v] = [new Float32Array(length), new Float32Array(length)];
    const reference = Array.from(w);
    const [rm, rv] = [new Array<number>(length).fill(0), new Array<number>(length).fill(0)];
    const [lr, beta1, beta2, epsilon] = [0.01, 0.9, 0.999, 1e-8];
    for (let t = 1; t <= 5; t++) {
      const g = randomArray(rng, length);
      for (let i = 0; i < length; i++) {
        rm[i] = beta1 * rm[i] + (1 - beta1) * g[i];
        rv[i] = beta2 * rv[i] + (1 - beta2) * g[i] ** 2;
        const mHat = rm[i] / (1 - beta1 ** t);
        const vHat = rv[i] / (1 - beta2 ** t);
        reference[i] -= lr * (mHat / (Math.sqrt(vHat) + epsilon) + weightDecay * reference[i]);
      }
      kernel.adamUpdate(w, g, m, v, length, lr, beta1, beta2, epsilon, weightDecay, t);
    }
    expectClose(w, reference, 'weights');
  });
});
