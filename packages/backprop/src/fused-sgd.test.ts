import { describe, expect, it } from 'vitest';
import { availableBackends, selectKernel } from './kernels/select.ts';
import { Network } from './network.ts';
import { Optimizer } from './optimizer.ts';
import { Rng } from './rng.ts';
import type { ModelSpec } from './spec.ts';
import type { OptimizerConfig } from './training-config.ts';

// Plain SGD folds the weight update into the gradient GEMM (α = −lr, β = 1 − lr·decay). It must be the
// same step as gradients + sgdUpdate, to float32 rounding, on every kernel — and leave momentum alone.
const SPEC: ModelSpec = { inputSize: 7, layers: [{ units: 9, activation: 'tanh' }, { units: 6, activation: 'relu' }, { units: 4, activation: 'softmax' }] };
const ROWS = 11;

function setUp(backend: (typeof BACKENDS)[number], config: OptimizerConfig) {
  const kernel = selectKernel({ backend });
  const network = new Network(SPEC, kernel, ROWS);
  network.initialise(new Rng(3));
  const optimizer = new Optimizer(config, kernel, network);
  const x = kernel.alloc(ROWS * SPEC.inputSize);
  const y = kernel.alloc(ROWS * 4);
  const rng = new Rng(8);
  for (let i = 0; i < x.length; i++) x[i] = rng.next() * 2 - 1;
  for (let r = 0; r < ROWS; r++) y[r * 4 + (r % 4)] = 1;
  return { network, optimizer, x, y };
}

const BACKENDS = availableBackends();
const sgd = (weightDecay: number, momentum = 0): OptimizerConfig => ({
  type: 'sgd', learningRate: 0.3, momentum, nesterov: false, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay,
});

describe.each(BACKENDS)('%s: plain SGD folded into the gradient product', (backend) => {
  it.each([0, 0.01])('takes the same steps as gradient + update (weight decay %f)', (decay) => {
    const separate = setUp(backend, sgd(decay));
    const fused = setUp(backend, sgd(decay));
    expect(fused.optimizer.fusedSgd).toEqual({ lr: 0.3, decay });
    for (let step = 0; step < 5; step++) {
      separate.network.forward(separate.x, ROWS);
      const a = separate.network.backward(separate.x, separate.y, ROWS, 'cross_entropy');
      separate.optimizer.step();
      fused.network.forward(fused.x, ROWS);
      const b = fused.network.backward(fused.x, fused.y, ROWS, 'cross_entropy', fused.optimizer.fusedSgd);
      fused.optimizer.step(true);
      expect(b).toBeCloseTo(a, 5);
    }
    separate.network.layers.forEach((layer, l) => {
      const other = fused.network.layers[l];
      for (let i = 0; i < layer.weight.length; i++) expect(Math.abs(other.weight[i] - layer.weight[i])).toBeLessThan(1e-5);
      for (let i = 0; i < layer.bias.length; i++) expect(Math.abs(other.bias[i] - layer.bias[i])).toBeLessThan(1e-5);
    });
    // It did train: the weights moved away from their initial values.
    const initial = setUp(backend, sgd(decay)).network.layers[0].weight;
    expect(fused.network.layers[0].weight.some((w, i) => Math.abs(w - initial[i]) > 1e-3)).toBe(true);
  });

  it('is not used with momentum or Adam, and leaves the weights alone on a non-finite loss', () => {
    expect(setUp(backend, sgd(0, 0.9)).optimizer.fusedSgd).toBeUndefined();
    expect(setUp(backend, { ...sgd(0), type: 'adam' }).optimizer.fusedSgd).toBeUndefined();
    const { network, optimizer, x, y } = setUp(backend, sgd(0));
    const before = network.layers.map((layer) => Float32Array.from(layer.weight));
    y[0] = Number.NaN;
    network.forward(x, ROWS);
    expect(Number.isFinite(network.backward(x, y, ROWS, 'cross_entropy', optimizer.fusedSgd))).toBe(false);
    network.layers.forEach((layer, l) => expect(Array.from(layer.weight)).toEqual(Array.from(before[l])));
  });
});
