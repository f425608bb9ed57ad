import type { Kernel } from './kernels/kernel.ts';
import type { Network } from './network.ts';
import type { OptimizerConfig } from './training-config.ts';

/** SGD (momentum, Nesterov, L2) or AdamW over every weight and bias of a network; moments preallocated. */
export class Optimizer {
  /** Steps taken so far (Adam's t). */
  t = 0;
  /** Per parameter tensor: velocity (sgd) or first moment (adam). */
  readonly first: Float32Array[];
  /** Per parameter tensor: second moment (adam only; empty arrays for sgd). */
  readonly second: Float32Array[];
  private readonly params: Float32Array[];
  private readonly grads: Float32Array[];

  constructor(
    private readonly config: OptimizerConfig,
    private readonly kernel: Kernel,
    network: Network,
  ) {
    this.params = network.layers.flatMap((layer) => [layer.weight, layer.bias]);
    this.grads = network.layers.flatMap((layer) => [layer.gradWeight, layer.gradBias]);
    const needsFirst = config.type === 'adam' || config.momentum !== 0;
    this.first = this.params.map((p) => kernel.alloc(needsFirst ? p.length : 0));
    this.second = this.params.map((p) => kernel.alloc(config.type === 'adam' ? p.length : 0));
  }

  /**
   * Plain SGD (no momentum) can be folded into the backward pass's weight-gradient products
   * (Network.backward's `sgd`); then `step(true)` updates only the biases.
   */
  get fusedSgd(): { lr: number; decay: number } | undefined {
    const c = this.config;
    return c.type === 'sgd' && c.momentum === 0 ? { lr: c.learningRate, decay: c.weightDecay } : undefined;
  }

  /** One update of every parameter from its gradient; with `weightsDone`, of the biases only (see fusedSgd). */
  step(weightsDone = false): void {
    this.t++;
    const c = this.config;
    for (let i = weightsDone ? 1 : 0; i < this.params.length; i += weightsDone ? 2 : 1) {
      const w = this.params[i];
      if (c.type === 'adam') {
        this.kernel.adamUpdate(w, this.grads[i], this.first[i], this.second[i], w.length, c.learningRate, c.beta1, c.beta2, c.epsilon, c.weightDecay, this.t);
      } else {
        this.kernel.sgdUpdate(w, this.grads[i], this.first[i], w.length, c.learningRate, c.momentum, c.nesterov, c.weightDecay);
      }
    }
  }
}
