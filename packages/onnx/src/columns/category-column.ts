import type { ColumnSpec } from '@trainyard/tabular';
import { attribute, ML_DOMAIN, ROWS, type GraphBuilder } from '../graph-builder.ts';
import type { ColumnBlock } from './column-block.ts';

type CategorySpec = Extract<ColumnSpec, { type: 'category' }>;

/**
 * A category column, string [N, 1]: one-hot over the training categories plus one "other" input, which
 * every other string takes (unseen values, and "" for missing). LabelEncoder maps each string to its slot,
 * OneHot expands the slot.
 */
export function categoryColumn(graph: GraphBuilder, spec: CategorySpec): ColumnBlock {
  const x = graph.input(spec.name, 'STRING', [ROWS, 1]);
  const other = spec.categories.length;
  if (other === 0) {
    // No training value at all: every row is "other".
    const one = graph.floats(`${spec.name}:one`, [1, 1], [1]);
    return { value: graph.node('Expand', [one, graph.node('Shape', [x], `${spec.name}:shape`)], `${spec.name}:other`), width: 1 };
  }
  const slot = graph.node('LabelEncoder', [x], `${spec.name}:slot`, [
    attribute.strings('keys_strings', spec.categories),
    attribute.ints('values_int64s', spec.categories.map((_, i) => i)),
    attribute.int('default_int64', other),
  ], ML_DOMAIN);
  const depth = graph.int64s(`${spec.name}:depth`, [], [other + 1]);
  const offOn = graph.floats(`${spec.name}:off_on`, [2], [0, 1]);
  const oneHot = graph.node('OneHot', [slot, depth, offOn], `${spec.name}:one_hot`, [attribute.int('axis', -1)]); // N×1×(k+1)
  return { value: graph.node('Flatten', [oneHot], `${spec.name}:inputs`, [attribute.int('axis', 1)]), width: other + 1 };
}
