// The uninterrupted run a resumed job must match bit for bit: the same spec, data and seed, prepared as the
// table preparation does and trained in this process by the engine directly, with the kernel the worker would select.
import { decodeSafetensors, loadBuiltin, selectKernel, Trainer, type Activation, type SavedModel, type TrainingConfig } from '@trainyard/backprop';
import { dataOptionsOf, prepareMatrixTraining } from '@trainyard/tabular';

export async function uninterruptedRun(
  dataset: string,
  layers: { units: number; activation: Activation }[],
  training: TrainingConfig,
): Promise<SavedModel> {
  const prepared = prepareMatrixTraining(loadBuiltin(dataset.replace(/^builtin:/, '')), dataOptionsOf(training, null));
  const data = prepared.dataset;
  const trainer = new Trainer({ spec: { inputSize: data.features.length, layers }, training, data, kernel: selectKernel(), normalization: prepared.normalization });
  await trainer.run();
  return trainer.model();
}

/** Every weight and bias of two models, compared as raw float32 bits. */
export function sameBits(a: SavedModel, b: SavedModel): boolean {
  if (a.layers.length !== b.layers.length) return false;
  const bits = (array: Float32Array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  return a.layers.every((layer, i) => bits(layer.weight).equals(bits(b.layers[i].weight)) && bits(layer.bias).equals(bits(b.layers[i].bias)));
}

export function decodeWeights(bytes: Uint8Array): SavedModel {
  return decodeSafetensors(bytes);
}
