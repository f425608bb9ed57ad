import { LEAKY_RELU_SLOPE, type Activation, type Normalization, type SavedModel } from '@trainyard/backprop';
import { attribute, type GraphBuilder } from './graph-builder.ts';
import { dataType } from './onnx-proto.ts';
import { OnnxExportError } from './onnx-export-error.ts';

type ActivationNode = (graph: GraphBuilder, z: string, hint: string) => string;

/** The engine's activations as ONNX operators; `satisfies` makes a new engine activation a compile error here. */
const ACTIVATION_NODES = {
  linear: (_graph, z) => z,
  relu: (graph, z, hint) => graph.node('Relu', [z], hint),
  leaky_relu: (graph, z, hint) => graph.node('LeakyRelu', [z], hint, [attribute.float('alpha', LEAKY_RELU_SLOPE)]),
  sigmoid: (graph, z, hint) => graph.node('Sigmoid', [z], hint),
  tanh: (graph, z, hint) => graph.node('Tanh', [z], hint),
  softmax: (graph, z, hint) => graph.node('Softmax', [z], hint, [attribute.int('axis', 1)]),
} satisfies Record<Activation, ActivationNode>;

/**
 * predict() after the encoding: x: float [N, inputSize] → float [N, units] of the last layer, with the
 * input standardisation before and the regression target's standardisation undone after.
 */
export function denseNetwork(graph: GraphBuilder, x: string, model: SavedModel): string {
  const { architecture } = model;
  if (model.layers.length !== architecture.layers.length) {
    throw new OnnxExportError(`the model has ${model.layers.length} weight layers; the architecture has ${architecture.layers.length}`);
  }
  let h = model.normalization ? standardise(graph, x, model.normalization, architecture.inputSize) : x;
  let inputs = architecture.inputSize;
  architecture.layers.forEach(({ units, activation }, i) => {
    const { weight, bias } = model.layers[i];
    if (weight.length !== units * inputs || bias.length !== units) {
      throw new OnnxExportError(`layers.${i}: weight holds ${weight.length} values and bias ${bias.length}; the architecture needs ${units}×${inputs} and ${units}`);
    }
    // Weights are stored out×in: z = h · Wᵀ + b.
    const W = graph.floats(`layers.${i}.weight`, [units, inputs], weight);
    const b = graph.floats(`layers.${i}.bias`, [units], bias);
    const z = graph.node('Gemm', [h, W, b], `layers.${i}.z`, [attribute.int('transB', 1)]);
    h = ACTIVATION_NODES[activation](graph, z, `layers.${i}.a`);
    inputs = units;
  });
  const target = model.preprocessing?.target;
  return target ? affineInDouble(graph, h, target.std, target.mean, 'target') : h;
}

/** (x − mean) / std per input, in double from float32 x, then float32: as the engine's applyNormalization. */
function standardise(graph: GraphBuilder, x: string, normalization: Normalization, inputSize: number): string {
  if (normalization.mean.length !== inputSize || normalization.std.length !== inputSize) {
    throw new OnnxExportError(`normalization has ${normalization.mean.length} means and ${normalization.std.length} stds; the architecture has inputSize ${inputSize}`);
  }
  const wide = graph.node('Cast', [x], 'inputs:double', [attribute.int('to', dataType('DOUBLE'))]);
  const centred = graph.node('Sub', [wide, graph.doubles('normalization.mean', [inputSize], normalization.mean)], 'inputs:centred');
  const scaled = graph.node('Div', [centred, graph.doubles('normalization.std', [inputSize], normalization.std)], 'inputs:standardised');
  return graph.node('Cast', [scaled], 'inputs:standardised:float', [attribute.int('to', dataType('FLOAT'))]);
}

/** y · scale + shift in double, then float32: predict()'s undoing of a standardised regression target. */
function affineInDouble(graph: GraphBuilder, y: string, scale: number, shift: number, hint: string): string {
  const wide = graph.node('Cast', [y], `${hint}:double`, [attribute.int('to', dataType('DOUBLE'))]);
  const scaled = graph.node('Mul', [wide, graph.doubles(`${hint}.std`, [], [scale])], `${hint}:scaled`);
  const shifted = graph.node('Add', [scaled, graph.doubles(`${hint}.mean`, [], [shift])], `${hint}:shifted`);
  return graph.node('Cast', [shifted], `${hint}:float`, [attribute.int('to', dataType('FLOAT'))]);
}
