import { describe, expect, it } from 'vitest';
import { JsKernel } from './kernels/js-kernel.ts';
import { availableBackends, selectKernel, type Backend } from './kernels/select.ts';
import { Network } from './network.ts';
import { Rng } from './rng.ts';
import { LEAKY_RELU_SLOPE, type Activation, type Loss, type ModelSpec } from './spec.ts';

/** An independent float64, sample-by-sample implementation: the oracle for the batched engine. */
function f(activation: Activation, z: number[]): number[] {
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

function referenceLoss(spec: ModelSpec, weights: number[][], biases: number[][], x: number[][], y: number[][], loss: Loss): number {
  let total = 0;
  for (let k = 0; k < x.length; k++) {
    let a = x[k];
    spec.layers.forEach((layer, l) => {
      const z = biases[l].map((b, i) => b + a.reduce((sum, aj, j) => sum + weights[l][i * a.length + j] * aj, 0));
      a = f(layer.activation, z);
    });
    if (loss === 'mse') total += a.reduce((sum, p, i) => sum + (p - y[k][i]) ** 2, 0) / a.length;
    else if (loss === 'cross_entropy' && spec.layers.at(-1)!.activation === 'softmax') total -= a.reduce((sum, p, i) => sum + y[k][i] * Math.log(p), 0);
    else total -= a.reduce((sum, p, i) => sum + y[k][i] * Math.log(p) + (1 - y[k][i]) * Math.log(1 - p), 0);
  }
  return total / x.length;
}

const hidden: Activation[] = ['linear', 'relu', 'leaky_relu', 'sigmoid', 'tanh'];
const outputs: [Activation, Loss, number][] = [
  ['softmax', 'cross_entropy', 3],
  ['sigmoid', 'binary_cross_entropy', 2],
  ['sigmoid', 'cross_entropy', 1],
  ['linear', 'mse', 2],
  ['tanh', 'mse', 2],
  ['relu', 'mse', 2],
  ['leaky_relu', 'mse', 1],
];

describe('batched backprop against central finite differences of an independent float64 model', () => {
  for (const hiddenActivation of hidden) {
    for (const [outputActivation, loss, units] of outputs) {
      it(`${hiddenActivation} hidden, ${outputActivation} output, ${loss}`, () => {
        const rng = new Rng(hidden.indexOf(hiddenActivation) * 31 + units);
        const spec: ModelSpec = { inputSize: 3, layers: [{ units: 4, activation: hiddenActivation }, { units, activation: outputActivation }] };
        const rows = 5;
        const network = new Network(spec, new JsKernel(), rows);
        network.initialise(rng);
        for (const layer of network.layers) for (let i = 0; i < layer.bias.length; i++) layer.bias[i] = rng.gaussian() * 0.1;
        const x = Float32Array.from({ length: rows * 3 }, () => rng.gaussian());
        const y = new Float32Array(rows * units);
        for (let k = 0; k < rows; k++) {
          if (outputActivation === 'softmax') y[k * units + (k % units)] = 1;
          else for (let i = 0; i < units; i++) y[k * units + i] = loss === 'mse' ? rng.gaussian() * 0.5 : (k + i) % 2;
        }
        network.forward(x, rows);
        const engineLoss = network.backward(x, y, rows, loss);

        const weights = network.layers.map((l) => Array.from(l.weight));
        const biases = network.layers.map((l) => Array.from(l.bias));
        const xs = Array.from({ length: rows }, (_, k) => Array.from(x.subarray(k * 3, k * 3 + 3)));
        const ys = Array.from({ length: rows }, (_, k) => Array.from(y.subarray(k * units, (k + 1) * units)));
        expect(engineLoss).toBeCloseTo(referenceLoss(spec, weights, biases, xs, ys, loss), 5);
        const h = 1e-5;
        const numeric = (params: number[][], l: number, i: number): number => {
          const saved = params[l][i];
          params[l][i] = saved + h;
          const plus = referenceLoss(spec, weights, biases, xs, ys, loss);
          params[l][i] = saved - h;
          const minus = referenceLoss(spec, weights, biases, xs, ys, loss);
          params[l][i] = saved;
          return (plus - minus) / (2 * h);
        };
        network.layers.forEach((layer, l) => {
          layer.gradWeight.forEach((g, i) => expect(g, `∂C/∂W${l}[${i}]`).toBeCloseTo(numeric(weights, l, i), 4));
          layer.gradBias.forEach((g, i) => expect(g, `∂C/∂b${l}[${i}]`).toBeCloseTo(numeric(biases, l, i), 4));
        });
      });
    }
  }
});

describe('∇W = δᵀ·a is the sum of per-sample outer products', () => {
  it.each([[1, 2, 3], [7, 5, 4], [16, 13, 9], [33, 3, 17]])('K=%i, m=%i, n=%i', (rows, units, inputs) => {
    const rng = new Rng(rows * 1000 + units);
    const spec: ModelSpec = { inputSize: inputs, layers: [{ units, activation: 'tanh' }, { units: 2, activation: 'softmax' }] };
    const batch = new Network(spec, new JsKernel(), rows);
    batch.initialise(rng);
    const x = Float32Array.from({ length: rows * inputs }, () => rng.gaussian());
    const y = new Float32Array(rows * 2);
    for (let k = 0; k < rows; k++) y[k * 2 + (k % 2)] = 1;
    batch.forward(x, rows);
    batch.backward(x, y, rows, 'cross_entropy');

    // The batched product equals Σ_k δ_kᵀ a_k over the layer's own δ and inputs.
    const first = batch.layers[0];
    for (let i = 0; i < units; i++) {
      for (let j = 0; j < inputs; j++) {
        let sum = 0;
        for (let k = 0; k < rows; k++) sum += first.delta[k * units + i] * x[k * inputs + j];
        expect(first.gradWeight[i * inputs + j]).toBeCloseTo(sum, 5);
      }
    }
    // And the batch mean equals the mean of K single-sample backward passes.
    const single = new Network(spec, new JsKernel(), 1);
    single.layers.forEach((layer, l) => {
      layer.weight.set(batch.layers[l].weight);
      layer.bias.set(batch.layers[l].bias);
    });
    const sums = single.layers.map((l) => new Float64Array(l.gradWeight.length));
    for (let k = 0; k < rows; k++) {
      const xk = x.slice(k * inputs, (k + 1) * inputs);
      const yk = y.slice(k * 2, k * 2 + 2);
      single.forward(xk, 1);
      single.backward(xk, yk, 1, 'cross_entropy');
      single.layers.forEach((layer, l) => layer.gradWeight.forEach((g, i) => (sums[l][i] += g / rows)));
    }
    batch.layers.forEach((layer, l) => layer.gradWeight.forEach((g, i) => expect(g).toBeCloseTo(sums[l][i], 5)));
  });
});

describe('deeper networks and partial batches against the float64 reference', () => {
  // Every valid output activation × loss, behind two hidden layers of different activations, run with fewer
  // rows than the buffers hold (the last, partial batch of an epoch) after a full batch left stale values.
  const combos: [Activation, Loss][] = [
    ['softmax', 'cross_entropy'], ['sigmoid', 'cross_entropy'], ['sigmoid', 'binary_cross_entropy'],
    ['linear', 'mse'], ['relu', 'mse'], ['leaky_relu', 'mse'], ['sigmoid', 'mse'], ['tanh', 'mse'],
  ];
  const hiddenPairs: [Activation, Activation][] = [['relu', 'tanh'], ['sigmoid', 'leaky_relu'], ['tanh', 'linear']];
  for (const [outputActivation, loss] of combos) {
    for (const [first, second] of hiddenPairs) {
      it(`${first} → ${second} → ${outputActivation} with ${loss}`, () => {
        const rng = new Rng(combos.findIndex((c) => c[0] === outputActivation && c[1] === loss) * 7 + hiddenPairs.findIndex((p) => p[0] === first));
        const units = outputActivation === 'softmax' ? 3 : 2;
        const spec: ModelSpec = { inputSize: 4, layers: [{ units: 5, activation: first }, { units: 3, activation: second }, { units, activation: outputActivation }] };
        const [capacity, rows] = [8, 5];
        const network = new Network(spec, new JsKernel(), capacity);
        network.initialise(rng);
        for (const layer of network.layers) for (let i = 0; i < layer.bias.length; i++) layer.bias[i] = rng.gaussian() * 0.1;
        const x = Float32Array.from({ length: capacity * 4 }, () => rng.gaussian());
        const y = new Float32Array(capacity * units);
        for (let k = 0; k < capacity; k++) {
          if (outputActivation === 'softmax') y[k * units + ((k * 5) % units)] = 1;
          else for (let i = 0; i < units; i++) y[k * units + i] = loss === 'mse' ? rng.gaussian() * 0.5 : (k + i) % 2;
        }
        network.forward(x, capacity);
        network.backward(x, y, capacity, loss); // fills every buffer, so stale rows would show up below
        network.forward(x, rows);
        const engineLoss = network.backward(x, y, rows, loss);

        const weights = network.layers.map((l) => Array.from(l.weight));
        const biases = network.layers.map((l) => Array.from(l.bias));
        const xs = Array.from({ length: rows }, (_, k) => Array.from(x.subarray(k * 4, k * 4 + 4)));
        const ys = Array.from({ length: rows }, (_, k) => Array.from(y.subarray(k * units, (k + 1) * units)));
        const referenceValue = () => referenceLoss(spec, weights, biases, xs, ys, loss);
        expect(engineLoss).toBeCloseTo(referenceValue(), 5);
        const h = 1e-5;
        const numeric = (params: number[][], l: number, i: number): number => {
          const saved = params[l][i];
          params[l][i] = saved + h;
          const plus = referenceValue();
          params[l][i] = saved - h;
          const minus = referenceValue();
          params[l][i] = saved;
          return (plus - minus) / (2 * h);
        };
        network.layers.forEach((layer, l) => {
          layer.gradWeight.forEach((g, i) => expect(g, `∂C/∂W${l}[${i}]`).toBeCloseTo(numeric(weights, l, i), 4));
          layer.gradBias.forEach((g, i) => expect(g, `∂C/∂b${l}[${i}]`).toBeCloseTo(numeric(biases, l, i), 4));
        });
      });
    }
  }
});

describe('∇W = δᵀ·a on random shapes', () => {
  it('equals Σ_k δ_kᵀ a_k, the sum of per-sample outer products, for every layer', () => {
    const rng = new Rng(2024);
    for (let trial = 0; trial < 10; trial++) {
      const size = () => 1 + Math.floor(rng.next() * 24);
      const [rows, inputs, hiddenUnits, outputs] = [size(), size(), size(), 1 + size()];
      const spec: ModelSpec = { inputSize: inputs, layers: [{ units: hiddenUnits, activation: 'leaky_relu' }, { units: outputs, activation: 'softmax' }] };
      const network = new Network(spec, new JsKernel(), rows);
      network.initialise(rng);
      const x = Float32Array.from({ length: rows * inputs }, () => rng.gaussian());
      const y = new Float32Array(rows * outputs);
      for (let k = 0; k < rows; k++) y[k * outputs + Math.floor(rng.next() * outputs)] = 1;
      network.forward(x, rows);
      network.backward(x, y, rows, 'cross_entropy');
      network.layers.forEach((layer, l) => {
        const input = l === 0 ? x : network.layers[l - 1].a;
        const sums = new Float64Array(layer.units * layer.inputs);
        const biasSums = new Float64Array(layer.units);
        for (let k = 0; k < rows; k++) {
          for (let i = 0; i < layer.units; i++) {
            const d = layer.delta[k * layer.units + i];
            biasSums[i] += d;
            for (let j = 0; j < layer.inputs; j++) sums[i * layer.inputs + j] += d * input[k * layer.inputs + j];
          }
        }
        const shape = `trial ${trial}, layer ${l}: K=${rows}, ${layer.units}×${layer.inputs}`;
        layer.gradWeight.forEach((g, i) => expect(Math.abs(g - sums[i]), shape).toBeLessThan(1e-6 * Math.max(1, Math.abs(sums[i]))));
        layer.gradBias.forEach((g, i) => expect(Math.abs(g - biasSums[i]), shape).toBeLessThan(1e-6 * Math.max(1, Math.abs(biasSums[i]))));
      });
    }
  });
});

describe.each(availableBackends())('%s kernel: a weighted batch through Network.backward', (backend: Backend) => {
  // float32 sums in different orders (batched GEMM against per-sample passes): a few ulp of the gradient scale.
  const TOLERANCE = 2e-6;
  const cases: [Activation, Loss, number][] = [['softmax', 'cross_entropy', 3], ['sigmoid', 'binary_cross_entropy', 2], ['tanh', 'mse', 2]];

  it.each(cases)('%s output, %s: gradients are Σ_k (w_k/Σw)·(sample k\'s gradient), ∇W = δᵀ·a, loss the weighted mean', (activation, loss, units) => {
    const kernel = selectKernel({ backend });
    const rng = new Rng(cases.findIndex((c) => c[0] === activation && c[1] === loss) + 40);
    const [rows, inputs] = [7, 4];
    const spec: ModelSpec = { inputSize: inputs, layers: [{ units: 5, activation: 'leaky_relu' }, { units, activation }] };
    const batch = new Network(spec, kernel, rows);
    batch.initialise(rng);
    for (const layer of batch.layers) for (let i = 0; i < layer.bias.length; i++) layer.bias[i] = rng.gaussian() * 0.1;
    const x = kernel.alloc(rows * inputs);
    for (let i = 0; i < x.length; i++) x[i] = rng.gaussian();
    const y = kernel.alloc(rows * units);
    for (let k = 0; k < rows; k++) {
      if (activation === 'softmax') y[k * units + (k % units)] = 1;
      else for (let i = 0; i < units; i++) y[k * units + i] = loss === 'mse' ? rng.gaussian() * 0.5 : (k + i) % 2;
    }
    const weights = kernel.alloc(rows);
    for (let k = 0; k < rows; k++) weights[k] = k === 3 ? 0 : 0.25 + rng.next() * 3;
    batch.forward(x, rows);
    const value = batch.backward(x, y, rows, loss, undefined, weights);

    // ∇W: m×n = δᵀ·a over the layer's own (weighted) δ: K×m and its input a: K×n.
    batch.layers.forEach((layer, l) => {
      const input = l === 0 ? x : batch.layers[l - 1].a;
      for (let i = 0; i < layer.units; i++) {
        for (let j = 0; j < layer.inputs; j++) {
          let sum = 0;
          for (let k = 0; k < rows; k++) sum += layer.delta[k * layer.units + i] * input[k * layer.inputs + j];
          expect(Math.abs(layer.gradWeight[i * layer.inputs + j] - sum), `layer ${l}: ∇W[${i}, ${j}] against δᵀ·a`).toBeLessThan(TOLERANCE);
        }
      }
    });

    // The same model, one unweighted sample at a time, combined with the weights in float64.
    const single = new Network(spec, kernel, 1);
    single.layers.forEach((layer, l) => {
      layer.weight.set(batch.layers[l].weight);
      layer.bias.set(batch.layers[l].bias);
    });
    const weightSum = Array.from(weights).reduce((a, b) => a + b, 0);
    const gradWeight = single.layers.map((l) => new Float64Array(l.gradWeight.length));
    const gradBias = single.layers.map((l) => new Float64Array(l.gradBias.length));
    let expectedLoss = 0;
    const [xk, yk] = [kernel.alloc(inputs), kernel.alloc(units)];
    for (let k = 0; k < rows; k++) {
      xk.set(x.subarray(k * inputs, (k + 1) * inputs));
      yk.set(y.subarray(k * units, (k + 1) * units));
      single.forward(xk, 1);
      const share = weights[k] / weightSum;
      expectedLoss += share * single.backward(xk, yk, 1, loss);
      single.layers.forEach((layer, l) => {
        layer.gradWeight.forEach((g, i) => (gradWeight[l][i] += share * g));
        layer.gradBias.forEach((g, i) => (gradBias[l][i] += share * g));
      });
    }
    expect(Math.abs(value - expectedLoss) / expectedLoss, `loss ${value} vs ${expectedLoss}`).toBeLessThan(1e-6);
    expect(batch.loss(y, rows, loss, weights), 'Network.loss').toBe(value);
    batch.layers.forEach((layer, l) => {
      layer.gradWeight.forEach((g, i) => expect(Math.abs(g - gradWeight[l][i]), `layer ${l}: ∇W[${i}]`).toBeLessThan(TOLERANCE));
      layer.gradBias.forEach((g, i) => expect(Math.abs(g - gradBias[l][i]), `layer ${l}: ∇b[${i}]`).toBeLessThan(TOLERANCE));
    });

    // Plain SGD fused into the gradient product takes the step of those weighted gradients.
    const [lr, decay] = [0.1, 0.01];
    const fused = new Network(spec, kernel, rows);
    fused.layers.forEach((layer, l) => {
      layer.weight.set(batch.layers[l].weight);
      layer.bias.set(batch.layers[l].bias);
    });
    fused.forward(x, rows);
    expect(fused.backward(x, y, rows, loss, { lr, decay }, weights)).toBe(value);
    fused.layers.forEach((layer, l) => {
      const before = batch.layers[l];
      layer.weight.forEach((w, i) => {
        const expected = (1 - lr * decay) * before.weight[i] - lr * before.gradWeight[i];
        expect(Math.abs(w - expected), `layer ${l}: fused SGD W[${i}]`).toBeLessThan(TOLERANCE);
      });
    });
  });
});
