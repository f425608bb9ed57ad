// Regression metrics as training reports them: in the target's units, from running sums of errors.

/** Squared and absolute errors of one-output predictions (rows×1) against targets, times `scale` (target units per unit of y). */
export function sumErrors(output: Float32Array, y: Float32Array, rows: number, scale: number): { squared: number; absolute: number } {
  let squared = 0;
  let absolute = 0;
  for (let r = 0; r < rows; r++) {
    const error = Math.abs(output[r] - y[r]) * scale;
    squared += error * error;
    absolute += error;
  }
  return { squared, absolute };
}

/** rmse, mae and r² from sums of errors over `rows` rows and Σ(y − ȳ)² (r² is 0 when the targets are constant, as NaN helps nobody). */
export function regressionMetrics(squaredError: number, absoluteError: number, rows: number, totalSquares: number): { rmse: number; mae: number; r2: number } {
  const n = Math.max(1, rows);
  return { rmse: Math.sqrt(squaredError / n), mae: absoluteError / n, r2: totalSquares > 0 ? 1 - squaredError / totalSquares : 0 };
}

/** Σ (y[r] − mean)² over the listed rows, in float64. */
export function totalSquares(y: Float32Array, rows: Uint32Array): number {
  if (rows.length === 0) return 0;
  let mean = 0;
  for (const r of rows) mean += y[r];
  mean /= rows.length;
  let sum = 0;
  for (const r of rows) sum += (y[r] - mean) ** 2;
  return sum;
}
