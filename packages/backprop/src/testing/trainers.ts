// Shared by the engine's test suites: building trainers from partial configs and comparing weights bit for bit.
import { resolveTrainingConfig, type TrainingInput } from '../config.ts';
import type { Dataset } from '../dataset.ts';
import { JsKernel } from '../kernels/js-kernel.ts';
import type { Kernel } from '../kernels/kernel.ts';
import type { SavedModel } from '../saved-model.ts';
import type { ModelSpec } from '../spec.ts';
import { Trainer } from '../trainer.ts';

export function makeTrainer(
  data: Dataset,
  layers: ModelSpec['layers'],
  input: TrainingInput,
  options: { kernel?: Kernel; initialWeights?: SavedModel } = {},
): Trainer {
  const spec = { inputSize: data.features.length, layers };
  const last = layers[layers.length - 1];
  const training = resolveTrainingConfig(input, { task: data.task, outputActivation: last.activation, outputUnits: last.units });
  return new Trainer({ spec, training, data, kernel: options.kernel ?? new JsKernel(), initialWeights: options.initialWeights });
}

function bits(values: Float32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/** Every weight and bias identical to the bit. */
export function sameWeights(a: SavedModel, b: SavedModel): boolean {
  return a.layers.length === b.layers.length &&
    a.layers.every((layer, i) => bits(layer.weight).equals(bits(b.layers[i].weight)) && bits(layer.bias).equals(bits(b.layers[i].bias)));
}

/** A small seeded classification dataset: `classes` Gaussian blobs in `features` dimensions. */
export function blobs(rows: number, features: number, classes: number, seed: number): Dataset {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  const gaussian = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const centres = Array.from({ length: classes * features }, () => 3 * gaussian());
  const x = new Float32Array(rows * features);
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const label = r % classes;
    y[r] = label;
    for (let f = 0; f < features; f++) x[r * features + f] = centres[label * features + f] + gaussian();
  }
  return {
    task: 'classification', rows, x, y, target: 'label',
    features: Array.from({ length: features }, (_, f) => `f${f}`),
    classes: Array.from({ length: classes }, (_, c) => `c${c}`),
  };
}
