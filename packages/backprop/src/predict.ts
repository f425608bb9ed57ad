import { gatherRows, gatherTargets } from './batches.ts';
import type { Dataset } from './dataset.ts';
import { TrainingError } from './errors.ts';
import type { Kernel } from './kernels/kernel.ts';
import { selectKernel } from './kernels/select.ts';
import { countCorrect } from './metrics.ts';
import { Network } from './network.ts';
import { applyNormalization } from './normalization.ts';
import type { SavedModel } from './saved-model.ts';
import type { Loss } from './spec.ts';
import { checkWeightShapes } from './weight-shapes.ts';

/** Rows per forward pass, so huge inputs do not need huge activation buffers. */
const CHUNK_ROWS = 1024;

/** inputs: rows×inputSize raw features (normalised here with the model's own statistics) → rows×outputs. */
export function predict(model: SavedModel, inputs: Float32Array, rows: number, kernel: Kernel = selectKernel()): Float32Array {
  const features = model.architecture.inputSize;
  if (!Number.isInteger(rows) || rows < 0 || inputs.length !== rows * features) {
    throw new TrainingError('shape_mismatch', `predict: inputs hold ${inputs.length} values, expected rows×features = ${rows}×${features}`);
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
  // Standardised regression targets: back to the target's units.
  const target = model.preprocessing?.target;
  if (target) for (let i = 0; i < result.length; i++) result[i] = result[i] * target.std + target.mean;
  return result;
}

/** Mean loss, as training defines it, (and accuracy for classification) of a model over a whole dataset. */
export function evaluate(model: SavedModel, data: Dataset, loss: Loss, kernel: Kernel = selectKernel()): { loss: number; accuracy?: number } {
  const features = model.architecture.inputSize;
  if (data.features.length !== features || data.x.length !== data.rows * features) {
    throw new TrainingError('shape_mismatch', `evaluate: the dataset has ${data.features.length} features, the model takes ${features}`);
  }
  const network = loadNetwork(model, kernel, data.rows);
  const x = applyNormalization(data.x, features, model.normalization);
  const outputs = network.output.units;
  const order = Uint32Array.from({ length: data.rows }, (_, i) => i);
  const batchX = kernel.alloc(network.batchSize * features);
  const batchY = kernel.alloc(network.batchSize * outputs);
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < data.rows; start += network.batchSize) {
    const count = Math.min(network.batchSize, data.rows - start);
    gatherRows(x, features, order, start, count, batchX);
    gatherTargets(data, outputs, order, start, count, batchY);
    const output = network.forward(batchX, count);
    if (data.task === 'classification') correct += countCorrect(data, output, outputs, order, start, count);
    lossSum += network.loss(batchY, count, loss) * count;
  }
  const mean = lossSum / data.rows;
  return data.task === 'classification' ? { loss: mean, accuracy: correct / data.rows } : { loss: mean };
}

function loadNetwork(model: SavedModel, kernel: Kernel, rows: number): Network {
  checkWeightShapes(model, model.architecture);
  const network = new Network(model.architecture, kernel, Math.max(1, Math.min(rows, CHUNK_ROWS)));
  network.layers.forEach((layer, i) => {
    layer.weight.set(model.layers[i].weight);
    layer.bias.set(model.layers[i].bias);
  });
  return network;
}
