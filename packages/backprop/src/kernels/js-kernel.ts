import { LEAKY_RELU_SLOPE, type Activation, type Loss } from '../spec.ts';
import type { Kernel } from './kernel.ts';

/** Guards log(0) in cross-entropy. */
const LOG_EPSILON = 1e-12;

/** Plain TypeScript reference kernel: the oracle the fast kernels are tested against. */
export class JsKernel implements Kernel {
  readonly name = 'js';
  readonly threads = 1;

  alloc(length: number): Float32Array {
    return new Float32Array(length);
  }

  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    b: Float32Array,
    beta: number,
    c: Float32Array,
  ): void {
    const size = m * n;
    if (beta === 0) c.fill(0, 0, size);
    else if (beta !== 1) for (let i = 0; i < size; i++) c[i] *= beta;
    if (!transA && !transB) gemmNN(m, n, k, alpha, a, b, c);
    else if (!transA && transB) gemmNT(m, n, k, alpha, a, b, c);
    else if (transA && !transB) gemmTN(m, n, k, alpha, a, b, c);
    else gemmTT(m, n, k, alpha, a, b, c);
  }

  biasActivation(z: Float32Array, bias: Float32Array, rows: number, cols: number, activation: Activation, out: Float32Array): void {
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      for (let j = 0; j < cols; j++) z[base + j] += bias[j];
    }
    if (activation === 'softmax') {
      softmaxRows(z, rows, cols, out);
      return;
    }
    const length = rows * cols;
    switch (activation) {
      case 'linear':
        out.set(z.subarray(0, length));
        break;
      case 'relu':
        for (let i = 0; i < length; i++) out[i] = z[i] > 0 ? z[i] : 0;
        break;
      case 'leaky_relu':
        for (let i = 0; i < length; i++) out[i] = z[i] > 0 ? z[i] : LEAKY_RELU_SLOPE * z[i];
        break;
      case 'sigmoid':
        for (let i = 0; i < length; i++) out[i] = sigmoid(z[i]);
        break;
      case 'tanh':
        for (let i = 0; i < length; i++) out[i] = Math.tanh(z[i]);
        break;
    }
  }

  activationBackward(delta: Float32Array, z: Float32Array, a: Float32Array, length: number, activation: Activation): void {
    switch (activation) {
      case 'linear':
        return;
      case 'relu':
        for (let i = 0; i < length; i++) if (!(z[i] > 0)) delta[i] = 0;
        return;
      case 'leaky_relu':
        for (let i = 0; i < length; i++) if (!(z[i] > 0)) delta[i] *= LEAKY_RELU_SLOPE;
        return;
      case 'sigmoid':
        for (let i = 0; i < length; i++) delta[i] *= a[i] * (1 - a[i]);
        return;
      case 'tanh':
        for (let i = 0; i < length; i++) delta[i] *= 1 - a[i] * a[i];
        return;
      case 'softmax':
        throw new Error('activationBackward: softmax has no element-wise derivative; it is fused with cross_entropy');
    }
  }

  outputDelta(
    loss: Loss,
    activation: Activation,
    z: Float32Array,
    yhat: Float32Array,
    y: Float32Array,
    rows: number,
    cols: number,
    delta: Float32Array,
    weights?: Float32Array,
  ): number {
    if (weights !== undefined) return this.weightedOutputDelta(loss, activation, z, yhat, y, rows, cols, delta, weights);
    const length = rows * cols;
    let total = 0;
    if (loss === 'mse') {
      const scale = 2 / length;
      for (let i = 0; i < length; i++) {
        const diff = yhat[i] - y[i];
        total += diff * diff;
        delta[i] = scale * diff;
      }
      this.activationBackward(delta, z, yhat, length, activation);
      return total / length;
    }
    const scale = 1 / rows;
    const binary = activation === 'sigmoid';
    for (let i = 0; i < length; i++) {
      const p = yhat[i];
      const t = y[i];
      total -= t * Math.log(p + LOG_EPSILON);
      if (binary) total -= (1 - t) * Math.log(1 - p + LOG_EPSILON);
      delta[i] = scale * (p - t);
    }
    return total / rows;
  }

  /** outputDelta's weighted mean: each row's loss is summed, then weighted by w_r/Σw, as is its δ. */
  private weightedOutputDelta(
    loss: Loss,
    activation: Activation,
    z: Float32Array,
    yhat: Float32Array,
    y: Float32Array,
    rows: number,
    cols: number,
    delta: Float32Array,
    weights: Float32Array,
  ): number {
    let weightSum = 0;
    for (let r = 0; r < rows; r++) weightSum += weights[r];
    const inverseSum = weightSum > 0 ? 1 / weightSum : 0;
    const binary = activation === 'sigmoid';
    let total = 0;
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      const share = weights[r] * inverseSum;
      let rowTotal = 0;
      for (let j = base; j < base + cols; j++) {
        const p = yhat[j];
        const t = y[j];
        if (loss === 'mse') {
          const diff = p - t;
          rowTotal += diff * diff;
          delta[j] = ((2 * share) / cols) * diff;
          continue;
        }
        rowTotal -= t * Math.log(p + LOG_EPSILON);
        if (binary) rowTotal -= (1 - t) * Math.log(1 - p + LOG_EPSILON);
        delta[j] = share * (p - t);
      }
      total += weights[r] * (loss === 'mse' ? rowTotal / cols : rowTotal);
    }
    if (loss === 'mse') this.activationBackward(delta, z, yhat, rows * cols, activation);
    return weightSum > 0 ? total / weightSum : total;
  }

  oneHotForward(z: Float32Array, w: Float32Array, out: number, inputs: number, codes: Int32Array, rows: number, offset: number, levels: number): void {
    checkOneHot('oneHotForward', z, w, out, inputs, codes, rows, offset, levels);
    for (let k = 0; k < rows; k++) {
      const c = codes[k];
      if (c < 0 || c >= levels) continue;
      const column = offset + c;
      const base = k * out;
      for (let o = 0; o < out; o++) z[base + o] += w[o * inputs + column];
    }
  }

  oneHotBackward(delta: Float32Array, codes: Int32Array, rows: number, out: number, inputs: number, offset: number, levels: number, grad: Float32Array): void {
    checkOneHot('oneHotBackward', delta, grad, out, inputs, codes, rows, offset, levels);
    for (let o = 0; o < out; o++) grad.fill(0, o * inputs + offset, o * inputs + offset + levels);
    for (let k = 0; k < rows; k++) {
      const c = codes[k];
      if (c < 0 || c >= levels) continue;
      const column = offset + c;
      const base = k * out;
      for (let o = 0; o < out; o++) grad[o * inputs + column] += delta[base + o];
    }
  }

  columnSum(m: Float32Array, rows: number, cols: number, out: Float32Array): void {
    out.fill(0, 0, cols);
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      for (let j = 0; j < cols; j++) out[j] += m[base + j];
    }
  }

  sgdUpdate(
    w: Float32Array,
    g: Float32Array,
    velocity: Float32Array,
    length: number,
    lr: number,
    momentum: number,
    nesterov: boolean,
    weightDecay: number,
  ): void {
    for (let i = 0; i < length; i++) {
      const grad = g[i] + weightDecay * w[i];
      if (momentum === 0) {
        w[i] -= lr * grad;
        continue;
      }
      const v = momentum * velocity[i] + grad;
      velocity[i] = v;
      w[i] -= lr * (nesterov ? grad + momentum * v : v);
    }
  }

  adamUpdate(
    w: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    length: number,
    lr: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    weightDecay: number,
    t: number,
  ): void {
    const correction1 = 1 - Math.pow(beta1, t);
    const correction2 = 1 - Math.pow(beta2, t);
    for (let i = 0; i < length; i++) {
      const grad = g[i];
      const mi = beta1 * m[i] + (1 - beta1) * grad;
      const vi = beta2 * v[i] + (1 - beta2) * grad * grad;
      m[i] = mi;
      v[i] = vi;
      const mHat = mi / correction1;
      const vHat = vi / correction2;
      w[i] -= lr * (mHat / (Math.sqrt(vHat) + epsilon) + weightDecay * w[i]);
    }
  }
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

function softmaxRows(z: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let max = -Infinity;
    for (let j = 0; j < cols; j++) if (z[base + j] > max) max = z[base + j];
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const e = Math.exp(z[base + j] - max);
      out[base + j] = e;
      sum += e;
    }
    for (let j = 0; j < cols; j++) out[base + j] /= sum;
  }
}

// A: m×k, B: k×n.
function gemmNN(m: number, n: number, k: number, alpha: number, a: Float32Array, b: Float32Array, c: Float32Array): void {
  for (let i = 0; i < m; i++) {
    const cRow = i * n;
    for (let p = 0; p < k; p++) {
      const aip = alpha * a[i * k + p];
      if (aip === 0) continue;
      const bRow = p * n;
      for (let j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j];
    }
  }
}

// A: m×k, B stored n×k: each C entry is a dot product of two contiguous rows.
function gemmNT(m: number, n: number, k: number, alpha: number, a: Float32Array, b: Float32Array, c: Float32Array): void {
  for (let i = 0; i < m; i++) {
    const aRow = i * k;
    for (let j = 0; j < n; j++) {
      const bRow = j * k;
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[aRow + p] * b[bRow + p];
      c[i * n + j] += alpha * sum;
    }
  }
}

// A stored k×m, B: k×n: accumulate one rank-1 update per p.
function gemmTN(m: number, n: number, k: number, alpha: number, a: Float32Array, b: Float32Array, c: Float32Array): void {
  for (let p = 0; p < k; p++) {
    const aRow = p * m;
    const bRow = p * n;
    for (let i = 0; i < m; i++) {
      const api = alpha * a[aRow + i];
      if (api === 0) continue;
      const cRow = i * n;
      for (let j = 0; j < n; j++) c[cRow + j] += api * b[bRow + j];
    }
  }
}

// A stored k×m, B stored n×k.
function gemmTT(m: number, n: number, k: number, alpha: number, a: Float32Array, b: Float32Array, c: Float32Array): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[p * m + i] * b[j * k + p];
      c[i * n + j] += alpha * sum;
    }
  }
}

/** Shapes of a one-hot op (every backend checks them before touching memory). */
export function checkOneHot(op: string, rowsMatrix: Float32Array, w: Float32Array, out: number, inputs: number, codes: Int32Array, rows: number, offset: number, levels: number): void {
  for (const [name, value] of [['out', out], ['inputs', inputs], ['rows', rows], ['offset', offset], ['levels', levels]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) throw new RangeError(`${op}: ${name} = ${value} is not a valid size`);
  }
  if (offset + levels > inputs) throw new RangeError(`${op}: the block (columns ${offset}…${offset + levels}) is outside the ${inputs} inputs`);
  if (codes.length < rows) throw new RangeError(`${op}: ${codes.length} codes for ${rows} rows`);
  if (rowsMatrix.length < rows * out) throw new RangeError(`${op}: the ${rows}×${out} matrix holds ${rowsMatrix.length} values`);
  if (w.length < out * inputs) throw new RangeError(`${op}: the ${out}×${inputs} weights hold ${w.length} values`);
}
