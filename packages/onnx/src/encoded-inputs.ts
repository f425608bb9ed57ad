import type { SavedModel } from '@trainyard/backprop';
import type { ColumnSpec } from '@trainyard/tabular';
import { categoryColumn } from './columns/category-column.ts';
import type { ColumnBlock } from './columns/column-block.ts';
import { datetimeColumn } from './columns/datetime-column.ts';
import { numberColumn } from './columns/number-column.ts';
import { attribute, ROWS, type GraphBuilder } from './graph-builder.ts';
import { OnnxExportError } from './onnx-export-error.ts';
import { readColumns } from './read-preprocessing.ts';

/** The one input of a model that has neither a preprocessing nor feature names. */
export const MATRIX_INPUT = 'input';

/**
 * The graph inputs and the engine's inputs computed from them: float [N, inputSize], before
 * standardisation. With a preprocessing, one input per column, encoded as it says; without one, a float
 * [N, 1] input per feature name, taken as they are (or one [N, inputSize] `input` when the weights name
 * no features).
 */
export function encodedInputs(graph: GraphBuilder, model: SavedModel, reserved: string[]): string {
  const inputSize = model.architecture.inputSize;
  const blocks = model.preprocessing ? columnBlocks(graph, readColumns(model), reserved) : featureBlocks(graph, model, reserved);
  const width = blocks.reduce((sum, block) => sum + block.width, 0);
  if (width !== inputSize) throw new OnnxExportError(`the input columns encode to ${width} inputs; the architecture has inputSize ${inputSize}`);
  if (blocks.length === 1) return blocks[0].value;
  return graph.node('Concat', blocks.map((block) => block.value), 'inputs', [attribute.int('axis', 1)]);
}

function columnBlocks(graph: GraphBuilder, columns: ColumnSpec[], reserved: string[]): ColumnBlock[] {
  checkNames(columns.map((column) => column.name), 'preprocessing column', reserved);
  return columns.map((spec) => {
    switch (spec.type) {
      case 'number':
      case 'boolean':
        return numberColumn(graph, spec);
      case 'category':
        return categoryColumn(graph, spec);
      case 'datetime':
        return datetimeColumn(graph, spec);
    }
  });
}

function featureBlocks(graph: GraphBuilder, model: SavedModel, reserved: string[]): ColumnBlock[] {
  const features = model.features;
  if (!features) return [{ value: graph.input(MATRIX_INPUT, 'FLOAT', [ROWS, model.architecture.inputSize]), width: model.architecture.inputSize }];
  checkNames(features, 'feature', reserved);
  return features.map((name) => ({ value: graph.input(name, 'FLOAT', [ROWS, 1]), width: 1 }));
}

/** Graph inputs are named exactly as the columns, so two columns (or a column and an output) may not share a name. */
function checkNames(names: string[], what: string, reserved: string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '') throw new OnnxExportError(`a ${what} has an empty name; ONNX inputs need one`);
    if (reserved.includes(name)) throw new OnnxExportError(`${what} "${name}" has the name of a graph output (${reserved.join(', ')})`);
    if (seen.has(name)) throw new OnnxExportError(`${what} "${name}" appears twice; each becomes a graph input of that name`);
    seen.add(name);
  }
}
