import { describe, expect, it } from 'vitest';
import { Dense } from './dense.ts';
import { JsKernel } from './kernels/js-kernel.ts';
import { Rng } from './rng.ts';
import type { Activation } from './spec.ts';

function stats(values: Float32Array): { mean: number; variance: number; maxAbs: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return { mean, variance, maxAbs: values.reduce((a, b) => Math.max(a, Math.abs(b)), 0) };
}

describe('Dense initialisation', () => {
  const [inputs, units] = [200, 150]; // 30,000 weights: sample variance within ~2% of the target

  it.each(['relu', 'leaky_relu'] as Activation[])('%s: He normal, variance 2/fan-in; zero biases', (activation) => {
    const layer = new Dense(new JsKernel(), inputs, units, activation, 1);
    layer.bias.fill(1);
    layer.initialise(new Rng(1));
    const { mean, variance } = stats(layer.weight);
    expect(Math.abs(mean)).toBeLessThan(0.005);
    expect(variance / (2 / inputs)).toBeCloseTo(1, 1);
    expect(layer.bias.every((b) => b === 0)).toBe(true);
  });

  it.each(['linear', 'sigmoid', 'tanh', 'softmax'] as Activation[])('%s: Glorot uniform in ±√(6/(fan-in + fan-out))', (activation) => {
    const layer = new Dense(new JsKernel(), inputs, units, activation, 1);
    layer.initialise(new Rng(2));
    const limit = Math.sqrt(6 / (inputs + units));
    const { mean, variance, maxAbs } = stats(layer.weight);
    expect(maxAbs).toBeLessThanOrEqual(limit);
    expect(maxAbs).toBeGreaterThan(0.99 * limit);
    expect(Math.abs(mean)).toBeLessThan(0.005);
    expect(variance / (limit ** 2 / 3)).toBeCloseTo(1, 1);
  });

  it('is a function of the seed alone', () => {
    const make = (seed: number) => {
      const layer = new Dense(new JsKernel(), 5, 4, 'relu', 1);
      layer.initialise(new Rng(seed));
      return Array.from(layer.weight);
    };
    expect(make(3)).toEqual(make(3));
    expect(make(3)).not.toEqual(make(4));
  });
});
