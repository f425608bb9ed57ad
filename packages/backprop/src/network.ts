import { Dense } from './dense.ts';
import type { Kernel } from './kernels/kernel.ts';
import type { Rng } from './rng.ts';
import type { Loss, ModelSpec } from './spec.ts';
import type { OneHotBlock } from './one-hot.ts';

/** A stack of dense layers with buffers preallocated for minibatches of up to `batchSize` rows. */
export class Network {
  readonly layers: Dense[];

  constructor(
    readonly spec: ModelSpec,
    readonly kernel: Kernel,
    readonly batchSize: number,
    oneHot?: OneHotBlock[],
  ) {
    let inputs = spec.inputSize;
    this.layers = spec.layers.map((layer, l) => {
      const dense = new Dense(kernel, inputs, layer.units, layer.activation, batchSize, l === 0 ? oneHot : undefined);
      inputs = layer.units;
      return dense;
    });
  }

  get output(): Dense {
    return this.layers[this.layers.length - 1];
  }

  initialise(rng: Rng): void {
    for (const layer of this.layers) layer.initialise(rng);
  }

  /** x: rows×inputSize (or the dense part and `codes` per one-hot block) → the output layer's activations (rows×outputs, in `output.a`). */
  forward(x: Float32Array, rows: number, codes?: Int32Array[]): Float32Array {
    if (rows > this.batchSize) throw new Error(`forward: ${rows} rows exceed the ${this.batchSize} the buffers were sized for`);
    let input = x;
    for (const [l, layer] of this.layers.entries()) {
      layer.forward(input, rows, l === 0 ? codes : undefined);
      input = layer.a;
    }
    return this.output.a;
  }

  /**
   * After forward: loss against targets y (rows×outputs), and every layer's gradient (batch means). With
   * `sgd`, each layer's weights take their plain-SGD step inside the gradient product instead
   * (Dense.gradientsIntoWeights; bias gradients are still left for the optimizer). With `weights` (one per
   * row, from kernel.alloc) loss and gradients are weighted means instead (Kernel.outputDelta).
   */
  backward(x: Float32Array, y: Float32Array, rows: number, loss: Loss, sgd?: { lr: number; decay: number }, weights?: Float32Array, codes?: Int32Array[]): number {
    const output = this.output;
    const value = this.kernel.outputDelta(loss, output.activation, output.z, output.a, y, rows, output.units, output.delta, weights);
    // A non-finite loss must leave the weights as they were (the job fails with `diverged`).
    const fuse = sgd !== undefined && Number.isFinite(value);
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l];
      const input = l === 0 ? x : this.layers[l - 1].a;
      if (fuse) {
        if (l > 0) layer.propagate(this.layers[l - 1], rows); // reads W before its update
        layer.gradientsIntoWeights(input, rows, sgd.lr, sgd.decay, l === 0 ? codes : undefined);
      } else {
        layer.gradients(input, rows, l === 0 ? codes : undefined);
        if (l > 0) layer.propagate(this.layers[l - 1], rows);
      }
    }
    return value;
  }

  /** Loss only, weighted by row when `weights` are given (no gradients needed, but δ of the output is scratch space anyway). */
  loss(y: Float32Array, rows: number, loss: Loss, weights?: Float32Array): number {
    const output = this.output;
    return this.kernel.outputDelta(loss, output.activation, output.z, output.a, y, rows, output.units, output.delta, weights);
  }

  parameterCount(): number {
    return this.layers.reduce((sum, layer) => sum + layer.weight.length + layer.bias.length, 0);
  }
}
