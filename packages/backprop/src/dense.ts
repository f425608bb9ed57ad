import type { Kernel } from './kernels/kernel.ts';
import type { Rng } from './rng.ts';
import type { Activation } from './spec.ts';

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

  constructor(
    private readonly kernel: Kernel,
    readonly inputs: number,
    readonly units: number,
    readonly activation: Activation,
    batchSize: number,
  ) {
    this.weight = kernel.alloc(units * inputs);
    this.bias = kernel.alloc(units);
    this.gradWeight = kernel.alloc(units * inputs);
    this.gradBias = kernel.alloc(units);
    this.z = kernel.alloc(batchSize * units);
    this.a = kernel.alloc(batchSize * units);
    this.delta = kernel.alloc(batchSize * units);
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
  forward(input: Float32Array, rows: number): void {
    this.kernel.gemm(false, true, rows, this.units, this.inputs, 1, input, this.weight, 0, this.z);
    this.kernel.biasActivation(this.z, this.bias, rows, this.units, this.activation, this.a);
  }

  /** From this layer's δ (rows×units): ∇W = δᵀ · a_prev (units×inputs), ∇b = Σ_rows δ. */
  gradients(input: Float32Array, rows: number): void {
    this.kernel.gemm(true, false, this.units, this.inputs, rows, 1, this.delta, input, 0, this.gradWeight);
    this.kernel.columnSum(this.delta, rows, this.units, this.gradBias);
  }

  /**
   * Plain SGD folded into the weight-gradient product: W ← (1 − lr·decay)·W − lr·(δᵀ · input), one GEMM
   * with α = −lr and β = 1 − lr·decay, the same update as gradients() + sgdUpdate without writing the
   * gradient out and reading it back. Call after propagate(), which needs the old W. The bias gradient
   * is left in gradBias as usual.
   */
  gradientsIntoWeights(input: Float32Array, rows: number, lr: number, decay: number): void {
    this.kernel.gemm(true, false, this.units, this.inputs, rows, -lr, this.delta, input, 1 - lr * decay, this.weight);
    this.kernel.columnSum(this.delta, rows, this.units, this.gradBias);
  }

  /** δ_prev = (δ · W) ⊙ f'(z_prev): rows×units · units×inputs → rows×inputs. */
  propagate(previous: Dense, rows: number): void {
    this.kernel.gemm(false, false, rows, this.inputs, this.units, 1, this.delta, this.weight, 0, previous.delta);
    this.kernel.activationBackward(previous.delta, previous.z, previous.a, rows * this.inputs, previous.activation);
  }
}
