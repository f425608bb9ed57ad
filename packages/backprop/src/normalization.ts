import type { Normalization } from './saved-model.ts';

/** Per-feature mean and standard deviation over the given rows (float64 sums); a constant feature gets std 1. */
export function fitNormalization(x: Float32Array, features: number, rows: Uint32Array): Normalization {
  const mean = new Array<number>(features).fill(0);
  const variance = new Array<number>(features).fill(0);
  for (const r of rows) for (let f = 0; f < features; f++) mean[f] += x[r * features + f];
  for (let f = 0; f < features; f++) mean[f] /= Math.max(1, rows.length);
  for (const r of rows) {
    for (let f = 0; f < features; f++) {
      const d = x[r * features + f] - mean[f];
      variance[f] += d * d;
    }
  }
  const std = variance.map((v) => {
    const s = Math.sqrt(v / Math.max(1, rows.length));
    return s > 1e-12 ? s : 1;
  });
  return { mean, std };
}

/** x' = (x − mean) / std, into a new array (x: rows×features). */
export function applyNormalization(x: Float32Array, features: number, normalization: Normalization | null): Float32Array {
  if (!normalization) return x;
  const out = new Float32Array(x.length);
  const { mean, std } = normalization;
  for (let i = 0; i < x.length; i++) {
    const f = i % features;
    out[i] = (x[i] - mean[f]) / std[f];
  }
  return out;
}
