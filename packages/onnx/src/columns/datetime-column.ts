import { SECONDS_PER, type ColumnSpec, type DatetimePart } from '@trainyard/tabular';
import { attribute, ROWS, type GraphBuilder } from '../graph-builder.ts';
import { dataType } from '../onnx-proto.ts';
import type { ColumnBlock } from './column-block.ts';

type DatetimeSpec = Extract<ColumnSpec, { type: 'datetime' }>;
type Period = keyof typeof SECONDS_PER;

/**
 * A datetime column, double [N, 1] Unix seconds with NaN = missing. Each part is computed in double as the
 * engine does in float64 (years = t / year; sin and cos of 2π·t / period), missing rows take the training
 * fill (years) or 0 (cyclic parts), and only then the parts are cast to float, as the engine stores them.
 */
export function datetimeColumn(graph: GraphBuilder, spec: DatetimeSpec): ColumnBlock {
  const name = spec.name;
  const t = graph.input(name, 'DOUBLE', [ROWS, 1]);
  const seconds = memo((period: Period) => graph.doubles(`${name}:seconds_per_${period}`, [], [SECONDS_PER[period]]));
  // JavaScript's (2π·t) / period, in the same order: 2π·t once, one angle per period a part uses.
  let turns: string | undefined;
  const angle = memo((period: Period) => {
    turns ??= graph.node('Mul', [t, graph.doubles(`${name}:2pi`, [], [2 * Math.PI])], `${name}:2pi_t`);
    return graph.node('Div', [turns, seconds(period)], `${name}:${period}_angle`);
  });
  const part = (p: DatetimePart): string => {
    if (p === 'years') return graph.node('Div', [t, seconds('year')], `${name}:years`);
    const [period, fn] = p.split('_') as [Period, 'sin' | 'cos'];
    return graph.node(fn === 'sin' ? 'Sin' : 'Cos', [angle(period)], `${name}:${p}`);
  };
  const parts = spec.parts.map(part);
  const all = parts.length === 1 ? parts[0] : graph.node('Concat', parts, `${name}:parts`, [attribute.int('axis', 1)]);
  const missing = graph.node('IsNaN', [t], `${name}:isnan`);
  const fills = graph.doubles(`${name}:fill`, [1, parts.length], spec.parts.map((p) => (p === 'years' ? spec.fill : 0)));
  const filled = graph.node('Where', [missing, fills, all], `${name}:filled`);
  const encoded = graph.node('Cast', [filled], `${name}:float`, [attribute.int('to', dataType('FLOAT'))]);
  if (!spec.indicator) return { value: encoded, width: parts.length };
  const indicator = graph.node('Cast', [missing], `${name}:missing`, [attribute.int('to', dataType('FLOAT'))]);
  return { value: graph.node('Concat', [encoded, indicator], `${name}:inputs`, [attribute.int('axis', 1)]), width: parts.length + 1 };
}

/** f, computed once per distinct argument. */
function memo<K, V>(f: (key: K) => V): (key: K) => V {
  const values = new Map<K, V>();
  return (key) => {
    if (!values.has(key)) values.set(key, f(key));
    return values.get(key)!;
  };
}
