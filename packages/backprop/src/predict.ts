import { predictedClass } from './batches.ts';
import type { Dataset } from './dataset.ts';
import type { Kernel } from './kernels/kernel.ts';
import { selectKernel } from './kernels/select.ts';
import { Network } from './network.ts';
import { applyNormalization } from './normalization.ts';
import type { SavedModel } from './saved-model.ts';
import type { Loss } from './spec.ts';

/** Rows per forward pass, so huge inputs do not need huge activation buffers. */
const PREDICT_CHUNK_ROWS = 1024;

function loadNetwork(model: SavedModel, kernel: Kernel, rows: number): Network {
  const network = new Network(model.architecture, kernel, Math.max(1, Math.min(rows, PREDICT_CHUNK_ROWS)));
  network.layers.forEach((layer, i) => {
    const given = model.layers[i];
    if (!given || given.weight.length !== layer.weight.length || given.bias.length !== layer.bias.length) {
      throw new Error(`predict: layer ${i} weights do not fit [${layer.units}, ${layer.inputs}]`);
    }
    layer.weight.set(given.weight);
    layer.bias.set(given.bias);
  });
  return network;
}

/** inputs: rows×inputSize raw features (normalised here with the model's own statistics) → rows×outputs. */
export function predict(model: SavedModel, inputs: Float32Array, rows: number, kernel: Kernel = selectKernel()): Float32Array {
  const features = model.architecture.inputSize;
  if (inputs.length !== rows * features) {
    throw new Error(`predict: inputs hold ${inputs.length} values, expected rows×features = ${rows}×${features}`);
  }
  const network = loadNetwork(model, kernel, rows);
  const x = applyNormalization(inputs, features, model.normalization);
  const outputs = network.output.units;
  const result = new Float32Array(rows * outputs);
  const chunk = kernel.alloc(network.batchSize * features);
  for (let start = 0; start < rows; start += network.batchSize) {
    const count = Math.min(network.batchSize, rows - start);
    chunk.set(x.subarray(start * features, (start + count) * features));
    result.set(network.forward(chunk, count).subarray(0, count * outputs), start * outputs);
  }
  return result;
}

/** Mean loss (and accuracy for classification) of a model over a whole dataset. */
export function evaluate(model: SavedModel, data: Dataset, loss: Loss, kernel: Kernel = selectKernel()): { loss: number; accuracy?: number } {
  const yhat = predict(model, data.x, data.rows, kernel);
  const outputs = model.architecture.layers[model.architecture.layers.length - 1].units;
  const oneHot = data.task === 'classification' && outputs > 1;
  let total = 0;
  let correct = 0;
  for (let r = 0; r < data.rows; r++) {
    const label = data.y[r];
    if (data.task === 'classification') correct += predictedClass(yhat, outputs, r) === label ? 1 : 0;
    for (let j = 0; j < outputs; j++) {
      const p = yhat[r * outputs + j];
      const t = oneHot ? (j === label ? 1 : 0) : label;
      if (loss === 'mse') total += (p - t) * (p - t) / outputs;
      else if (loss === 'binary_cross_entropy' || outputs === 1) total -= t * Math.log(p + 1e-12) + (1 - t) * Math.log(1 - p + 1e-12);
      else total -= t * Math.log(p + 1e-12);
    }
  }
  const result: { loss: number; accuracy?: number } = { loss: total / data.rows };
  if (data.task === 'classification') result.accuracy = correct / data.rows;
  return result;
}
