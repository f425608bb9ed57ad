import type { ColumnSpec } from '@trainyard/tabular';
import { attribute, ROWS, type GraphBuilder } from '../graph-builder.ts';
import { dataType } from '../onnx-proto.ts';
import type { ColumnBlock } from './column-block.ts';

type FilledSpec = Extract<ColumnSpec, { type: 'number' | 'boolean' }>;

/**
 * A number or boolean column (booleans as 0/1), float [N, 1] with NaN = missing: missing → the training
 * fill, then the 0/1 missing indicator when training had gaps. The engine stores the same float32 values.
 */
export function numberColumn(graph: GraphBuilder, spec: FilledSpec): ColumnBlock {
  const x = graph.input(spec.name, 'FLOAT', [ROWS, 1]);
  const missing = graph.node('IsNaN', [x], `${spec.name}:isnan`);
  const filled = graph.node('Where', [missing, graph.floats(`${spec.name}:fill`, [], [spec.fill]), x], `${spec.name}:filled`);
  if (!spec.indicator) return { value: filled, width: 1 };
  const indicator = graph.node('Cast', [missing], `${spec.name}:missing`, [attribute.int('to', dataType('FLOAT'))]);
  return { value: graph.node('Concat', [filled, indicator], `${spec.name}:inputs`, [attribute.int('axis', 1)]), width: 2 };
}
