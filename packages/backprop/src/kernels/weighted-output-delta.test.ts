// outputDelta with row weights, on every available kernel, against an independent float64 computation:
// L = Σ_r w_r·l_r / Σ_r w_r from per-row losses, and δ = ∂L/∂z by central differences of that L.
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.ts';
import { LEAKY_RELU_SLOPE, type Activation, type Loss } from '../spec.ts';
import type { Kernel } from './kernel.ts';
import { availableBackends, selectKernel, type Backend } from './select.ts';

// The kernels see ŷ rounded to float32, the oracle does not: losses agree within LOSS_TOLERANCE
// relative, and each δ within DELTA_TOLERANCE × the largest |∂L/∂z| of its batch.
const LOSS_TOLERANCE = 1e-6;
const DELTA_TOLERANCE = 1e-5;
const STEP = 1e-5;
// Equal weights change only the rounding of w/Σw against 1/rows: one float32 ulp at most.
const EQUAL_WEIGHTS_TOLERANCE = 2 ** -23;

/** Every loss/activation pair the kernels compute (softmax and sigmoid fused with cross-entropy). */
const WEIGHTED_CASES: [Loss, Activation][] = [
  ['cross_entropy', 'softmax'], ['cross_entropy', 'sigmoid'], ['binary_cross_entropy', 'sigmoid'],
  ['mse', 'linear'], ['mse', 'relu'], ['mse', 'leaky_relu'], ['mse', 'sigmoid'], ['mse', 'tanh'],
];
const SHAPES: [number, number][] = [[1, 3], [5, 2], [9, 3], [16, 4]];

function activate(activation: Activation, z: number[]): number[] {
  switch (activation) {
    case 'linear': return z;
    case 'relu': return z.map((v) => Math.max(0, v));
    case 'leaky_relu': return z.map((v) => (v > 0 ? v : LEAKY_RELU_SLOPE * v));
    case 'sigmoid': return z.map((v) => 1 / (1 + Math.exp(-v)));
    case 'tanh': return z.map(Math.tanh);
    case 'softmax': {
      const max = Math.max(...z);
      const e = z.map((v) => Math.exp(v - max));
      const sum = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / sum);
    }
  }
}

/** One row's loss l_r in float64 (a sigmoid output's cross-entropy is the binary one). */
function rowLoss(loss: Loss, activation: Activation, z: number[], y: number[]): number {
  const p = activate(activation, z);
  if (loss === 'mse') return p.reduce((sum, pj, j) => sum + (pj - y[j]) ** 2, 0) / p.length;
  if (activation === 'softmax') return -p.reduce((sum, pj, j) => sum + y[j] * Math.log(pj), 0);
  return -p.reduce((sum, pj, j) => sum + y[j] * Math.log(pj) + (1 - y[j]) * Math.log(1 - pj), 0);
}

/** Σ_r w_r·l_r / Σ_r w_r over rows×cols logits z. */
function weightedLoss(loss: Loss, activation: Activation, z: number[], y: number[], weights: number[], cols: number): number {
  let total = 0;
  let sum = 0;
  weights.forEach((w, r) => {
    total += w * rowLoss(loss, activation, z.slice(r * cols, (r + 1) * cols), y.slice(r * cols, (r + 1) * cols));
    sum += w;
  });
  return total / sum;
}

/** A batch on the kernel's buffers: logits z, ŷ = f(z) by the kernel, targets y, and random row weights. */
function batch(kernel: Kernel, loss: Loss, activation: Activation, rows: number, cols: number, rng: Rng) {
  const z = kernel.alloc(rows * cols);
  for (let i = 0; i < z.length; i++) z[i] = rng.gaussian() * 2;
  const yhat = kernel.alloc(rows * cols);
  kernel.biasActivation(z, kernel.alloc(cols), rows, cols, activation, yhat);
  const y = kernel.alloc(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      if (activation === 'softmax') y[r * cols + j] = j === r % cols ? 1 : 0;
      else y[r * cols + j] = loss === 'mse' ? rng.gaussian() : (r + j) % 2;
    }
  }
  // Longer than rows (the trainer's batch buffer): values past rows must be ignored.
  const weights = kernel.alloc(rows + 2);
  for (let r = 0; r < rows; r++) weights[r] = rng.next() * 3;
  if (rows > 1) weights[1] = 0; // a class weighted 0
  weights[rows] = weights[rows + 1] = 1000;
  return { z, yhat, y, weights };
}

describe.each(availableBackends())('%s outputDelta with row weights', (backend: Backend) => {
  const kernel = selectKernel({ backend });

  it.each(WEIGHTED_CASES)('%s with %s: the weighted-mean loss, and δ its finite differences w.r.t. z', (loss, activation) => {
    const rng = new Rng(WEIGHTED_CASES.findIndex(([l, a]) => l === loss && a === activation) + 1);
    for (const [rows, cols] of SHAPES) {
      const { z, yhat, y, weights } = batch(kernel, loss, activation, rows, cols, rng);
      const delta = kernel.alloc(rows * cols);
      const value = kernel.outputDelta(loss, activation, z, yhat, y, rows, cols, delta, weights);

      const [z64, y64, w64] = [Array.from(z), Array.from(y), Array.from(weights.subarray(0, rows))];
      const expected = weightedLoss(loss, activation, z64, y64, w64, cols);
      const shape = `${rows}×${cols}`;
      expect(Math.abs(value - expected) / Math.max(1, Math.abs(expected)), `${shape} loss ${value} vs ${expected}`).toBeLessThanOrEqual(LOSS_TOLERANCE);
      const numeric = z64.map((zi, i) => {
        z64[i] = zi + STEP;
        const plus = weightedLoss(loss, activation, z64, y64, w64, cols);
        z64[i] = zi - STEP;
        const minus = weightedLoss(loss, activation, z64, y64, w64, cols);
        z64[i] = zi;
        return (plus - minus) / (2 * STEP);
      });
      const largest = Math.max(...numeric.map(Math.abs));
      numeric.forEach((n, i) => {
        if (!(Math.abs(delta[i] - n) <= DELTA_TOLERANCE * largest)) expect.fail(`${shape} δ[${i}] = ${delta[i]}, ∂L/∂z = ${n}`);
      });
      if (rows > 1) for (let j = 0; j < cols; j++) expect(Math.abs(delta[cols + j]), `${shape} δ of the row weighted 0`).toBe(0);
    }
  });

  it.each(WEIGHTED_CASES)('%s with %s: weights all equal to c ≠ 1 give the unweighted loss and δ', (loss, activation) => {
    const rng = new Rng(100 + WEIGHTED_CASES.findIndex(([l, a]) => l === loss && a === activation));
    for (const [rows, cols] of SHAPES) {
      const { z, yhat, y, weights } = batch(kernel, loss, activation, rows, cols, rng);
      const unweighted = kernel.alloc(rows * cols);
      const expected = kernel.outputDelta(loss, activation, z, yhat, y, rows, cols, unweighted);
      for (const c of [0.37, 2.5, 1e3]) {
        weights.fill(c, 0, rows);
        const delta = kernel.alloc(rows * cols);
        const value = kernel.outputDelta(loss, activation, z, yhat, y, rows, cols, delta, weights);
        const what = `${rows}×${cols}, weights ${c}`;
        expect(Math.abs(value - expected) / Math.abs(expected), `${what}: loss ${value} vs ${expected}`).toBeLessThanOrEqual(1e-12);
        unweighted.forEach((e, i) => {
          if (!(Math.abs(delta[i] - e) <= EQUAL_WEIGHTS_TOLERANCE * Math.abs(e))) expect.fail(`${what}: δ[${i}] = ${delta[i]}, unweighted ${e}`);
        });
      }
    }
  });

  it('weights summing to 0 give δ = 0 and loss 0; a NaN prediction still makes the loss NaN', () => {
    const rng = new Rng(7);
    const { z, yhat, y, weights } = batch(kernel, 'cross_entropy', 'softmax', 4, 3, rng);
    weights.fill(0, 0, 4);
    const delta = kernel.alloc(12).fill(5);
    expect(kernel.outputDelta('cross_entropy', 'softmax', z, yhat, y, 4, 3, delta, weights)).toBe(0);
    expect(Array.from(delta, Math.abs)).toEqual(new Array(12).fill(0));
    weights.fill(1, 0, 4);
    weights[2] = 0;
    yhat[7] = NaN; // in the row weighted 0: a diverged network must still be reported
    for (const [loss, activation] of [['cross_entropy', 'softmax'], ['binary_cross_entropy', 'sigmoid'], ['mse', 'linear']] as const) {
      expect(kernel.outputDelta(loss, activation, z, yhat, y, 4, 3, delta, weights), `${loss} with ${activation}`).toBeNaN();
    }
  });
});
