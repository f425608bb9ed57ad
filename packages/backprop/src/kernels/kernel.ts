import type { Activation, Loss } from '../spec.ts';

/**
 * The engine's only path to arithmetic. Every buffer a kernel touches must come from its own
 * `alloc` (the wasm kernel's live in its linear memory); views made with `subarray` of such a
 * buffer are fine. All matrices are row-major and contiguous.
 */
export interface Kernel {
  /** 'js' | 'wasm' | 'native': reported as the job's `backend`. */
  readonly name: string;
  /** Threads the kernel's GEMM may use. */
  readonly threads: number;

  /**
   * Optional: out (rows×features) = the rows of x (row-major, `features` wide) listed at order[start …
   * start + rows) — a minibatch. Absent, or returning false, means the caller gathers in JavaScript.
   */
  gatherRows?(x: Float32Array, features: number, order: Uint32Array, start: number, rows: number, out: Float32Array): boolean;

  /** A zeroed buffer this kernel can operate on without copies. */
  alloc(length: number): Float32Array;

  /** C (m×n) = alpha · op(A) · op(B) + beta · C, op(A): m×k, op(B): k×n; transA means A is stored k×m. */
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
  ): void;

  /** z (rows×cols) += bias (cols) per row, then out = f(z); softmax is per row. z keeps the pre-activation. */
  biasActivation(z: Float32Array, bias: Float32Array, rows: number, cols: number, activation: Activation, out: Float32Array): void;

  /** delta ⊙= f'(z), element-wise over `length` (a = f(z) is given for activations cheaper from it). Not for softmax. */
  activationBackward(delta: Float32Array, z: Float32Array, a: Float32Array, length: number, activation: Activation): void;

  /**
   * Output layer: from predictions yhat = f(z) and targets y (rows×cols), writes δ = ∂L/∂z to delta
   * (already divided by rows, so gradients are batch means) and returns the batch-mean loss.
   * Fused forms: softmax + cross_entropy and sigmoid + (binary_)cross_entropy give δ = (ŷ − y)/rows.
   * mse is the mean over all rows×cols elements: δ = 2(ŷ − y)/(rows·cols) ⊙ f'(z).
   * With `weights` (≥ rows values, one per row) loss and δ are weighted means instead: row r's loss
   * counts w_r/Σw and its δ is (w_r/Σw)·∂l_r/∂z_r; equal weights give the unweighted result, and
   * weights summing to 0 give δ = 0 and loss 0 (NaN still when a prediction is NaN).
   */
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
  ): number;

  /**
   * A one-hot block of the first layer without its one-hot matrix: W is out×in, the block's `levels`
   * input columns start at `offset`, and `codes` (≥ rows int32, a view of a kernel buffer: see
   * allocCodes) hold each row's level. z (rows×out) row k += W[:, offset + codes[k]], i.e. the
   * block's share of a·Wᵀ. A code outside [0, levels) (−1: missing) adds nothing.
   */
  oneHotForward(z: Float32Array, w: Float32Array, out: number, inputs: number, codes: Int32Array, rows: number, offset: number, levels: number): void;

  /**
   * The block's weight gradient δᵀ·a as a scatter-add: grad[:, offset … offset+levels) is zeroed, then
   * grad[:, offset + codes[k]] += δ row k (δ rows×out), rows in order. Other columns are untouched.
   */
  oneHotBackward(delta: Float32Array, codes: Int32Array, rows: number, out: number, inputs: number, offset: number, levels: number, grad: Float32Array): void;

  /** out (cols) = Σ_rows m[row, :]. */
  columnSum(m: Float32Array, rows: number, cols: number, out: Float32Array): void;

  /**
   * SGD with momentum (and Nesterov) and L2 weight decay, over `length` parameters:
   * g' = g + weightDecay·w; v = momentum·v + g'; w -= lr·(nesterov ? g' + momentum·v : v).
   */
  sgdUpdate(
    w: Float32Array,
    g: Float32Array,
    velocity: Float32Array,
    length: number,
    lr: number,
    momentum: number,
    nesterov: boolean,
    weightDecay: number,
  ): void;

  /**
   * AdamW: m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; m̂ = m/(1−β1^t); v̂ = v/(1−β2^t);
   * w -= lr·(m̂/(√v̂ + ε) + weightDecay·w). `t` counts steps from 1.
   */
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
  ): void;
}
