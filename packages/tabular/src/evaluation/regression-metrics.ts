export interface RegressionEvaluation {
  rmse: number;
  mae: number;
  /**
   * 1 − SSE/SST, as sklearn's r2_score. A constant target (SST = 0) scores 1 when every prediction is
   * exact and 0 otherwise (sklearn's force_finite), instead of NaN or −∞. One row is a constant target
   * too (sklearn alone returns NaN there, which JSON cannot carry).
   */
  r2: number;
  medianAbsoluteError: number;
}

/** Errors of `predicted` against `actual` (one value per row), accumulated in float64. */
export function regressionMetrics(actual: ArrayLike<number>, predicted: ArrayLike<number>): RegressionEvaluation {
  const rows = actual.length;
  if (predicted.length !== rows) throw new Error(`regressionMetrics: actual has ${rows} rows, predicted ${predicted.length}`);
  if (rows === 0) throw new Error('regressionMetrics: no rows to evaluate');

  let actualSum = 0;
  for (let r = 0; r < rows; r++) actualSum += actual[r];
  const actualMean = actualSum / rows;

  const absoluteErrors = new Float64Array(rows);
  let squaredErrorSum = 0;
  let absoluteErrorSum = 0;
  let totalSquares = 0;
  for (let r = 0; r < rows; r++) {
    const error = predicted[r] - actual[r];
    absoluteErrors[r] = Math.abs(error);
    squaredErrorSum += error * error;
    absoluteErrorSum += absoluteErrors[r];
    totalSquares += (actual[r] - actualMean) ** 2;
  }

  return {
    rmse: Math.sqrt(squaredErrorSum / rows),
    mae: absoluteErrorSum / rows,
    r2: squaredErrorSum === 0 ? 1 : totalSquares === 0 ? 0 : 1 - squaredErrorSum / totalSquares,
    medianAbsoluteError: median(absoluteErrors),
  };
}

/** Sorts `values` in place; the mean of the two middle values when their count is even. */
function median(values: Float64Array): number {
  values.sort();
  const middle = values.length >> 1;
  return values.length % 2 === 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}
