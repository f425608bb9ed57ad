import type { SavedModel } from '@trainyard/backprop';
import { classLabel } from './class-label.ts';
import { encodedInputs } from './encoded-inputs.ts';
import { GraphBuilder, ROWS } from './graph-builder.ts';
import { denseNetwork } from './network.ts';

/** The graph's outputs: the last layer's values, and the class label of classification models. */
export const OUTPUTS = 'outputs';
export const LABEL = 'label';

/**
 * A trained model (decoded safetensors) as one ONNX model that takes raw columns: its preprocessing, the
 * input standardisation, the dense layers and the regression target's scale. ONNX Runtime's `outputs`
 * equal the engine's predict() on encodeRows(preprocessing, rows) of the same rows; see README.md.
 */
export function exportOnnx(model: SavedModel): Uint8Array {
  const graph = new GraphBuilder();
  const classes = model.classes && model.classes.length > 0 ? model.classes : undefined;
  const reserved = classes ? [OUTPUTS, LABEL] : [OUTPUTS];
  graph.reserve(...reserved);
  const x = encodedInputs(graph, model, reserved);
  const y = denseNetwork(graph, x, model);
  const units = model.architecture.layers[model.architecture.layers.length - 1].units;
  graph.output(OUTPUTS, y, 'FLOAT', [ROWS, units]);
  if (classes) graph.output(LABEL, classLabel(graph, y, classes, units), 'STRING', [ROWS]);
  const target = model.target === undefined ? '' : ` of "${model.target}"`;
  return graph.encode('trainyard', `Trainyard dense network${target}: one input per feature column, outputs${classes ? ' and label' : ''}.`);
}
