import { attribute, type GraphBuilder } from './graph-builder.ts';
import { dataType } from './onnx-proto.ts';
import { OnnxExportError } from './onnx-export-error.ts';

/**
 * The predicted class label, string [N], as /predict labels rows: the arg-max output (the first on ties),
 * or for one sigmoid unit over two classes, classes[p ≥ 0.5].
 */
export function classLabel(graph: GraphBuilder, outputs: string, classes: string[], units: number): string {
  let index: string;
  if (units === 1 && classes.length === 2) {
    const positive = graph.node('GreaterOrEqual', [outputs, graph.floats('label:threshold', [], [0.5])], 'label:positive');
    const column = graph.node('Cast', [positive], 'label:index_column', [attribute.int('to', dataType('INT64'))]);
    index = graph.node('Squeeze', [column, graph.int64s('label:axes', [1], [1])], 'label:index');
  } else if (units === classes.length) {
    index = graph.node('ArgMax', [outputs], 'label:index', [attribute.int('axis', 1), attribute.int('keepdims', 0), attribute.int('select_last_index', 0)]);
  } else {
    throw new OnnxExportError(`the model lists ${classes.length} classes for ${units} output units`);
  }
  return graph.node('Gather', [graph.strings('classes', [classes.length], classes), index], 'label:value', [attribute.int('axis', 0)]);
}
