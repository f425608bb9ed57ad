import { h } from '../dom.ts';
import { shortNumber } from '../sweeps/parameter-axis.ts';
import { parameterKind, type ParameterSpec } from '../sweeps/types.ts';

/** A parameter's values or range as a person reads it: `0.1, 0.01` or `log-uniform 1.00e-4 … 0.1`. */
export function describeSpec(spec: ParameterSpec): string {
  if ('values' in spec) return spec.values.map(formatParameter).join(', ');
  if ('uniform' in spec) return `uniform ${shortNumber(spec.uniform[0])} … ${shortNumber(spec.uniform[1])}`;
  if ('logUniform' in spec) return `log-uniform ${shortNumber(spec.logUniform[0])} … ${shortNumber(spec.logUniform[1])}`;
  return `integers ${spec.intUniform[0]} … ${spec.intUniform[1]}`;
}

/** A trial's value of a parameter: numbers to 4 digits, anything else as JSON. */
export function formatParameter(value: unknown): string {
  if (typeof value === 'number') return shortNumber(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? '–';
}

/** The sweep's search space, one row per path. */
export function parameterSpace(parameters: Record<string, ParameterSpec>): HTMLElement {
  return h(
    'dl',
    { class: 'pairs parameter-space' },
    ...Object.entries(parameters).flatMap(([path, spec]) => [
      h('dt', { class: 'mono' }, path),
      h('dd', { dataset: { parameter: path, kind: parameterKind(spec) } }, describeSpec(spec)),
    ]),
  );
}
