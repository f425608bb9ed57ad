import { niceTicks } from '../components/scatter-plot.ts';
import { num } from '../format.ts';
import type { ParameterSpec } from './types.ts';

export type AxisScale = 'linear' | 'log' | 'category';

/** Where values fall along a plot's side, 0 (start) to 1 (end), and the labelled ticks to draw there. */
export interface Axis {
  scale: AxisScale;
  /** Null for a value the axis cannot place (a string on a number axis). */
  position(value: unknown): number | null;
  ticks: { at: number; label: string }[];
}

/** A values list this short is labelled at its values rather than at round numbers. */
const MAX_VALUE_TICKS = 8;
const PAD = 0.05;

/**
 * The x axis of an objective-vs-parameter plot, fixed by the parameter space (points keep their places as
 * trials arrive): log for logUniform ranges and for lists of positive numbers spanning two decades or more, a
 * category per value for lists that are not all numbers, linear otherwise.
 */
export function parameterAxis(spec: ParameterSpec): Axis {
  if ('values' in spec) {
    const numbers = spec.values.filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
    if (numbers.length !== spec.values.length) return categoryAxis(spec.values);
    const low = Math.min(...numbers);
    const high = Math.max(...numbers);
    const distinct = [...new Set(numbers)].sort((a, b) => a - b);
    const labelled = distinct.length <= MAX_VALUE_TICKS ? distinct : undefined;
    return low > 0 && high / low >= 100 ? logAxis(low, high, labelled) : linearAxis(low, high, labelled);
  }
  if ('logUniform' in spec) return logAxis(spec.logUniform[0], spec.logUniform[1]);
  const [low, high] = 'uniform' in spec ? spec.uniform : spec.intUniform;
  return linearAxis(low, high);
}

/** The objective's axis, over the values seen so far. */
export function valueAxis(values: number[]): Axis {
  const finite = values.filter(Number.isFinite);
  return finite.length === 0 ? linearAxis(0, 1) : linearAxis(Math.min(...finite), Math.max(...finite));
}

export function linearAxis(low: number, high: number, labelled?: number[]): Axis {
  if (low === high) [low, high] = [low - (Math.abs(low) || 1) * 0.5, high + (Math.abs(high) || 1) * 0.5];
  const pad = (high - low) * PAD;
  const [start, end] = [low - pad, high + pad];
  const position = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? (value - start) / (end - start) : null);
  const ticks = (labelled ?? niceTicks(start, end, 4)).map((tick) => ({ at: position(tick)!, label: num(tick) }));
  return { scale: 'linear', position, ticks };
}

export function logAxis(low: number, high: number, labelled?: number[]): Axis {
  const [logLow, logHigh] = low === high ? [Math.log10(low) - 0.5, Math.log10(high) + 0.5] : [Math.log10(low), Math.log10(high)];
  const pad = (logHigh - logLow) * PAD;
  const [start, end] = [logLow - pad, logHigh + pad];
  const position = (value: unknown) => (typeof value === 'number' && value > 0 ? (Math.log10(value) - start) / (end - start) : null);
  const ticks = (labelled ?? logTicks(10 ** start, 10 ** end)).map((tick) => ({ at: position(tick)!, label: shortNumber(tick) }));
  return { scale: 'log', position, ticks };
}

/** A parameter's number, short: `1e-4`, `2.5e-5`, `0.001`, `16`. */
export function shortNumber(value: number): string {
  if (value !== 0 && Number.isFinite(value) && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e5)) {
    return value.toExponential(3).replace(/\.?0+e/, 'e').replace('e+', 'e');
  }
  return num(value);
}

/** Powers of ten inside [low, high] (every other one past six); 1, 2 and 5 times them when fewer than two fit. */
export function logTicks(low: number, high: number): number[] {
  const first = Math.floor(Math.log10(low));
  const last = Math.ceil(Math.log10(high));
  const inside = (tick: number) => tick >= low * (1 - 1e-9) && tick <= high * (1 + 1e-9);
  const decades: number[] = [];
  for (let power = first; power <= last; power++) decades.push(Number((10 ** power).toPrecision(1)));
  const powers = decades.filter(inside);
  if (powers.length >= 2) return powers.length > 6 ? powers.filter((_, i) => i % 2 === 0) : powers;
  return decades.flatMap((decade) => [1, 2, 5].map((factor) => Number((factor * decade).toPrecision(1)))).filter(inside);
}

function categoryAxis(values: unknown[]): Axis {
  const labels = [...new Set(values.map((value) => JSON.stringify(value)))];
  const position = (value: unknown) => {
    const index = labels.indexOf(JSON.stringify(value));
    return index < 0 ? null : (index + 0.5) / labels.length;
  };
  const ticks = labels.map((label, index) => ({ at: (index + 0.5) / labels.length, label: label.startsWith('"') ? (JSON.parse(label) as string) : label }));
  return { scale: 'category', position, ticks };
}
