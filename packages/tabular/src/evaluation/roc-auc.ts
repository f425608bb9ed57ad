/**
 * ROC AUC from class probabilities: for two classes the AUC of labels[1]'s probability, for more the
 * macro one-vs-rest AUC (sklearn's `roc_auc_score(multi_class='ovr', average='macro')`).
 * A class's AUC is undefined when `actual` has no positives or no negatives for it; the macro average
 * skips those classes, and the result is null when no class is defined (e.g. one class present).
 */
// actual: rows, probabilities: rows×classes → AUC or null
export function rocAuc(actual: ArrayLike<number>, probabilities: ArrayLike<number>, classes: number): number | null {
  const order = new Uint32Array(actual.length);
  if (classes === 2) return oneVsRestAuc(actual, probabilities, classes, 1, order);
  let sum = 0;
  let defined = 0;
  for (let c = 0; c < classes; c++) {
    const auc = oneVsRestAuc(actual, probabilities, classes, c, order);
    if (auc === null) continue;
    sum += auc;
    defined++;
  }
  return defined === 0 ? null : sum / defined;
}

/**
 * Mann–Whitney: the share of (positive, negative) pairs where the positive scores higher, a tie
 * counting half, which equals the trapezoidal area under the ROC curve. `order` is scratch, rows long.
 */
function oneVsRestAuc(actual: ArrayLike<number>, probabilities: ArrayLike<number>, classes: number, positive: number, order: Uint32Array): number | null {
  const rows = actual.length;
  let positives = 0;
  for (let r = 0; r < rows; r++) if (actual[r] === positive) positives++;
  const negatives = rows - positives;
  if (positives === 0 || negatives === 0) return null;

  for (let r = 0; r < rows; r++) order[r] = r;
  order.sort((a, b) => probabilities[a * classes + positive] - probabilities[b * classes + positive]);

  // Pairs counted in integers and halves, exact in float64 up to 2^52.
  let wins = 0;
  let negativesBelow = 0;
  for (let start = 0; start < rows; ) {
    const score = probabilities[order[start] * classes + positive];
    let tiedPositives = 0;
    let end = start;
    for (; end < rows && probabilities[order[end] * classes + positive] === score; end++) {
      if (actual[order[end]] === positive) tiedPositives++;
    }
    const tiedNegatives = end - start - tiedPositives;
    wins += tiedPositives * negativesBelow + 0.5 * tiedPositives * tiedNegatives;
    negativesBelow += tiedNegatives;
    start = end;
  }
  return wins / (positives * negatives);
}
