import type { Kernel } from './kernels/kernel.ts';
import type { Rng } from './rng.ts';
import type { Activation } from './spec.ts';
import type { OneHotBlock } from './one-hot.ts';

/**
 * A first layer whose one-hot blocks arrive as codes (Dataset.oneHot): its input is the other columns
 * (rows × dense width) plus one code per row and block. W keeps its out×in layout and input order; the
 * dense columns' weights are copied out (weightDense) before each product and their gradient scattered back.
 */
interface MixedInput {
  blocks: OneHotBlock[];
  /** Input columns no block covers, in order. */
  denseColumns: Int32Array;
  weightDense: Float32Array;
  gradDense: Float32Array;
}

/**
 * One dense layer: W (units×inputs, W[i][j] from input j to neuron i), b (units), their gradients,
 * and per-batch buffers for up to `batchSize` rows (z = pre-activation, a = f(z), δ = ∂C/∂z).
 */
export class Dense {
  readonly weight: Float32Array;
  readonly bias: Float32Array;
  readonly gradWeight: Float32Array;
  readonly gradBias: Float32Array;
  readonly z: Float32Array;
  readonly a: Float32Array;
  readonly delta: Float32Array;
  private readonly mixed: MixedInput | null;

  constructor(
    private readonly kernel: Kernel,
    readonly inputs: number,
    readonly units: number,
    readonly activation: Activation,
    batchSize: number,
    oneHot?: OneHotBlock[],
  ) {
    this.weight = kernel.alloc(units * inputs);
    this.bias = kernel.alloc(units);
    this.gradWeight = kernel.alloc(units * inputs);
    this.gradBias = kernel.alloc(units);
    this.z = kernel.alloc(batchSize * units);
    this.a = kernel.alloc(batchSize * units);
    this.delta = kernel.alloc(batchSize * units);
    this.mixed = null;
    if (oneHot && oneHot.length > 0) {
      const covered = new Uint8Array(inputs);
      for (const b of oneHot) covered.fill(1, b.offset, b.offset + b.levels);
      const denseColumns = Int32Array.from({ length: inputs }, (_, j) => j).filter((j) => covered[j] === 0);
      const width = denseColumns.length;
      this.mixed = { blocks: oneHot, denseColumns, weightDense: kernel.alloc(units * width), gradDense: kernel.alloc(units * width) };
    }
  }

  /** Width of the dense input this layer reads: `inputs`, less the one-hot blocks given as codes. */
  get denseInputs(): number {
    return this.mixed ? this.mixed.denseColumns.length : this.inputs;
  }

  /** He for the relu family, Glorot otherwise; biases start at zero. */
  initialise(rng: Rng): void {
    if (this.activation === 'relu' || this.activation === 'leaky_relu') {
      const std = Math.sqrt(2 / this.inputs);
      for (let i = 0; i < this.weight.length; i++) this.weight[i] = rng.gaussian() * std;
    } else {
      const limit = Math.sqrt(6 / (this.inputs + this.units));
      for (let i = 0; i < this.weight.length; i++) this.weight[i] = (2 * rng.next() - 1) * limit;
    }
    this.bias.fill(0);
  }

  /** z = a_prev · Wᵀ + b, a = f(z).  a_prev: rows×inputs → z, a: rows×units. */
  forward(input: Float32Array, rows: number, codes?: Int32Array[]): void {
    if (this.mixed) this.mixedForward(this.mixed, input, rows, codes!);
    else this.kernel.gemm(false, true, rows, this.units, this.inputs, 1, input, this.weight, 0, this.z);
    this.kernel.biasActivation(this.z, this.bias, rows, this.units, this.activation, this.a);
  }

  /** From this layer's δ (rows×units): ∇W = δᵀ · a_prev (units×inputs), ∇b = Σ_rows δ. */
  gradients(input: Float32Array, rows: number, codes?: Int32Array[]): void {
    if (this.mixed) this.mixedGradients(this.mixed, input, rows, codes!);
    else this.kernel.gemm(true, false, this.units, this.inputs, rows, 1, this.delta, input, 0, this.gradWeight);
    this.kernel.columnSum(this.delta, rows, this.units, this.gradBias);
  }

  /**
   * Plain SGD folded into the weight-gradient product: W ← (1 − lr·decay)·W − lr·(δᵀ · input), one GEMM
   * with α = −lr and β = 1 − lr·decay, the same update as gradients() + sgdUpdate without writing the
   * gradient out and reading it back. Call after propagate(), which needs the old W. The bias gradient
   * is left in gradBias as usual.
   */
  gradientsIntoWeights(input: Float32Array, rows: number, lr: number, decay: number, codes?: Int32Array[]): void {
    if (this.mixed) {
      // No product to fold the step into: the gradient, then plain SGD (momentum 0 reads no velocity).
      this.gradients(input, rows, codes);
      this.kernel.sgdUpdate(this.weight, this.gradWeight, this.gradWeight, this.weight.length, lr, 0, false, decay);
      return;
    }
    this.kernel.gemm(true, false, this.units, this.inputs, rows, -lr, this.delta, input, 1 - lr * decay, this.weight);
    this.kernel.columnSum(this.delta, rows, this.units, this.gradBias);
  }

  /** δ_prev = (δ · W) ⊙ f'(z_prev): rows×units · units×inputs → rows×inputs. */
  propagate(previous: Dense, rows: number): void {
    this.kernel.gemm(false, false, rows, this.inputs, this.units, 1, this.delta, this.weight, 0, previous.delta);
    this.kernel.activationBackward(previous.delta, previous.z, previous.a, rows * this.inputs, previous.activation);
  }

  private mixedForward(m: MixedInput, input: Float32Array, rows: number, codes: Int32Array[]): void {
    const { denseColumns, weightDense } = m;
    const width = denseColumns.length;
    const w = this.weight;
    for (let o = 0; o < this.units; o++) {
      const from = o * this.inputs;
      const to = o * width;
      for (let d = 0; d < width; d++) weightDense[to + d] = w[from + denseColumns[d]];
    }
    if (width > 0) this.kernel.gemm(false, true, rows, this.units, width, 1, input, weightDense, 0, this.z);
    else this.z.fill(0, 0, rows * this.units);
    m.blocks.forEach((b, i) => this.kernel.oneHotForward(this.z, w, this.units, this.inputs, codes[i], rows, b.offset, b.levels));
  }

  private mixedGradients(m: MixedInput, input: Float32Array, rows: number, codes: Int32Array[]): void {
    const { denseColumns, gradDense } = m;
    const width = denseColumns.length;
    const g = this.gradWeight;
    if (width > 0) {
      this.kernel.gemm(true, false, this.units, width, rows, 1, this.delta, input, 0, gradDense);
      for (let o = 0; o < this.units; o++) {
        const to = o * this.inputs;
        const from = o * width;
        for (let d = 0; d < width; d++) g[to + denseColumns[d]] = gradDense[from + d];
      }
    }
    m.blocks.forEach((b, i) => this.kernel.oneHotBackward(this.delta, codes[i], rows, this.units, this.inputs, b.offset, b.levels, g));
  }
}
