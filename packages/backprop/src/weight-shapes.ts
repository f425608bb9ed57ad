import { TrainingError } from './errors.ts';
import type { SavedModel } from './saved-model.ts';
import type { ModelSpec } from './spec.ts';

/**
 * Throws TrainingError('shape_mismatch'), naming the layer and both shapes, unless the model's weights
 * have exactly the shapes `spec` needs: W[i] units×inputs, b[i] units. Activations may differ.
 */
export function checkWeightShapes(model: SavedModel, spec: ModelSpec): void {
  const given = model.architecture;
  if (given.inputSize !== spec.inputSize) {
    throw new TrainingError('shape_mismatch', `the weights take ${given.inputSize} inputs; the model takes ${spec.inputSize}`);
  }
  if (given.layers.length !== spec.layers.length || model.layers.length !== spec.layers.length) {
    throw new TrainingError('shape_mismatch', `the weights have ${model.layers.length} layers; the model has ${spec.layers.length}`);
  }
  let inputs = spec.inputSize;
  spec.layers.forEach((layer, i) => {
    const units = given.layers[i].units;
    const { weight, bias } = model.layers[i];
    if (units !== layer.units) {
      throw new TrainingError('shape_mismatch', `layer ${i}: the weights are [${units}, ${inputs}], the model needs [${layer.units}, ${inputs}]`);
    }
    if (weight.length !== units * inputs || bias.length !== units) {
      throw new TrainingError('shape_mismatch', `layer ${i}: the weights hold ${weight.length} values and the bias ${bias.length}, not [${units}, ${inputs}] and [${units}]`);
    }
    inputs = units;
  });
}
