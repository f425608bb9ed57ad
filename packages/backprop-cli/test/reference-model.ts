// An independent oracle, written from API.md's "Real tables" and the README alone (float64): a client's
// encoder of raw rows with the weights' `preprocessing` metadata, and a dense forward pass.
import { LEAKY_RELU_SLOPE, type SavedModel } from '@trainyard/backprop';

export interface ColumnPreprocessing {
  name: string;
  type: 'number' | 'boolean' | 'category' | 'datetime';
  fill?: number;
  indicator?: boolean;
  mean?: number;
  std?: number;
  categories?: string[];
  parts?: string[];
}

export interface PreprocessingMetadata {
  columns: ColumnPreprocessing[];
  inputs: string[];
  target?: { mean: number; std: number };
}

const SECONDS_PER: Record<string, number> = { year: 31_556_952, week: 604_800, day: 86_400 };
const isMissing = (raw: unknown) => raw === null || raw === undefined || raw === '';

/** A raw row (values by column name, as in the file) → the model's inputs, standardised. `seconds` reads a date cell. */
export function encodeRow(p: PreprocessingMetadata, row: Record<string, unknown>, seconds: (raw: unknown) => number): number[] {
  const out: number[] = [];
  for (const c of p.columns) {
    const raw = row[c.name];
    const missing = isMissing(raw);
    if (c.type === 'number') out.push(((missing ? c.fill! : Number(raw)) - c.mean!) / c.std!);
    else if (c.type === 'boolean') out.push(missing ? c.fill! : raw === true || /^(true|yes)$/i.test(String(raw)) ? 1 : 0);
    else if (c.type === 'category') {
      const at = missing ? -1 : c.categories!.indexOf(String(raw).trim());
      c.categories!.forEach((_, i) => out.push(i === at ? 1 : 0));
      out.push(at < 0 ? 1 : 0);
    } else {
      const t = missing ? Number.NaN : seconds(raw);
      for (const part of c.parts!) {
        if (part === 'years') out.push(((missing ? c.fill! : t / SECONDS_PER.year) - c.mean!) / c.std!);
        else {
          const angle = (2 * Math.PI * t) / SECONDS_PER[part.split('_')[0]];
          out.push(missing ? 0 : part.endsWith('_sin') ? Math.sin(angle) : Math.cos(angle));
        }
      }
    }
    if (c.type !== 'category' && c.indicator) out.push(missing ? 1 : 0);
  }
  return out;
}

const ACTIVATIONS: Record<string, (v: number) => number> = {
  linear: (v) => v, relu: (v) => Math.max(0, v), leaky_relu: (v) => (v > 0 ? v : LEAKY_RELU_SLOPE * v),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)), tanh: Math.tanh,
};

/** The network's outputs for one row of inputs; `normalization` standardises them first when the weights carry one. */
export function forward(model: SavedModel, inputs: ArrayLike<number>, normalization = model.normalization): number[] {
  let a = Array.from(inputs, (v, f) => (normalization ? (v - normalization.mean[f]) / normalization.std[f] : v));
  model.architecture.layers.forEach(({ units, activation }, l) => {
    const { weight, bias } = model.layers[l];
    const z = Array.from({ length: units }, (_, i) => a.reduce((sum, v, j) => sum + weight[i * a.length + j] * v, bias[i]));
    if (activation === 'softmax') {
      const top = Math.max(...z);
      const e = z.map((v) => Math.exp(v - top));
      const total = e.reduce((s, v) => s + v, 0);
      a = e.map((v) => v / total);
    } else {
      a = z.map(ACTIVATIONS[activation]);
    }
  });
  return a;
}

/** The class a row of outputs predicts: arg-max, or p ≥ 0.5 for one sigmoid unit. */
export function predictedClass(outputs: number[]): number {
  return outputs.length === 1 ? (outputs[0] >= 0.5 ? 1 : 0) : outputs.indexOf(Math.max(...outputs));
}
