import type { ModelSpec } from '@trainyard/backprop';

export interface Workload {
  name: string;
  spec: ModelSpec;
  batchSize: number;
}

/** The three fixed workloads of the engine benchmark: softmax cross-entropy, SGD, synthetic data. */
export const WORKLOADS: Workload[] = [
  { name: 'W1 784-256-128-10', batchSize: 128, spec: { inputSize: 784, layers: [{ units: 256, activation: 'relu' }, { units: 128, activation: 'relu' }, { units: 10, activation: 'softmax' }] } },
  { name: 'W2 2-16-16-2', batchSize: 32, spec: { inputSize: 2, layers: [{ units: 16, activation: 'relu' }, { units: 16, activation: 'relu' }, { units: 2, activation: 'softmax' }] } },
  { name: 'W3 1024-1024-1024-10', batchSize: 256, spec: { inputSize: 1024, layers: [{ units: 1024, activation: 'relu' }, { units: 1024, activation: 'relu' }, { units: 10, activation: 'softmax' }] } },
];

/** Each workload's dense shapes as [inputs, outputs]. */
export function layerShapes(workload: Workload): [number, number][] {
  let inputs = workload.spec.inputSize;
  return workload.spec.layers.map((layer) => {
    const shape: [number, number] = [inputs, layer.units];
    inputs = layer.units;
    return shape;
  });
}
