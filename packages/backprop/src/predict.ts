import type { Kernel } from './kernels/kernel.ts';
import { selectKernel } from './kernels/select.ts';
import { Network } from './network.ts';
import { applyNormalization } from './normalization.ts';
import type { SavedModel } from './saved-model.ts';

const PREDICT_BATCH = 256;

/** Outputs (rows×units) of a saved model for raw inputs (rows×inputSize): its normalisation is applied first. */
export function predict(model: SavedModel, inputs: Float32Array, rows: number, kernel: Kernel = selectKernel()): Float32Array {
  const { inputSize } = model.architecture;
  if (inputs.length !== rows * inputSize) {
    throw new Error(`predict: ${inputs.length} input values are not ${rows} rows × ${inputSize} features`);
  }
  const batch = Math.max(1, Math.min(rows, PREDICT_BATCH));
  const network = new Network(model.architecture, kernel, batch);
  network.layers.forEach((layer, i) => {
    layer.weight.set(model.layers[i].weight);
    layer.bias.set(model.layers[i].bias);
  });
  const x = applyNormalization(inputs, inputSize, model.normalization);
  const units = network.output.units;
  const out = new Float32Array(rows * units);
  const chunk = kernel.alloc(batch * inputSize);
  for (let start = 0; start < rows; start += batch) {
    const count = Math.min(batch, rows - start);
    chunk.set(x.subarray(start * inputSize, (start + count) * inputSize));
    const output = network.forward(chunk, count);
    out.set(output.subarray(0, count * units), start * units);
  }
  return out;
}
