import { rocAuc } from './roc-auc.ts';

export interface ClassificationInput {
  labels: string[];
  /** True class index per row. */
  actual: ArrayLike<number>;
  /** Predicted class index per row. */
  predicted: ArrayLike<number>;
  /** rows×labels.length, row-major; each row sums to 1. */
  probabilities: Float32Array | Float64Array;
}

export interface ClassScores {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Rows whose true class is this one. */
  support: number;
}

export interface ClassificationEvaluation {
  accuracy: number;
  /** Mean recall over the classes present in `actual`. */
  balancedAccuracy: number;
  logLoss: number;
  /** Unweighted mean F1 over every class of `labels`, support 0 included (sklearn with `labels` given). */
  macroF1: number;
  /** Mean F1 weighted by support. */
  weightedF1: number;
  /**
   * Two classes: the AUC of labels[1]'s probability. More: the macro one-vs-rest AUC over the classes
   * where it is defined (some rows are of the class and some are not). null when no class is defined,
   * e.g. when `actual` holds a single class.
   */
  rocAuc: number | null;
  /** One entry per class of `labels`, in that order, support 0 included. */
  perClass: ClassScores[];
  /** counts[i][j]: rows of true class labels[i] predicted as labels[j]. */
  confusion: { labels: string[]; counts: number[][] };
}

/**
 * The metrics scikit-learn reports, for the classes of `labels` (whether present or not): precision,
 * recall and F1 are 0 where their denominator is (sklearn's zero_division=0).
 */
export function classificationMetrics(input: ClassificationInput): ClassificationEvaluation {
  const { labels, actual, predicted, probabilities } = input;
  checkShapes(input);
  const rows = actual.length;
  const counts = confusionCounts(actual, predicted, labels.length);
  const perClass = labels.map((label, c) => classScores(counts, c, label));

  let correct = 0;
  for (let c = 0; c < labels.length; c++) correct += counts[c][c];
  const present = perClass.filter((s) => s.support > 0);
  return {
    accuracy: correct / rows,
    balancedAccuracy: mean(present.map((s) => s.recall)),
    logLoss: logLoss(actual, probabilities, labels.length),
    macroF1: mean(perClass.map((s) => s.f1)),
    weightedF1: perClass.reduce((sum, s) => sum + s.f1 * s.support, 0) / rows,
    rocAuc: rocAuc(actual, probabilities, labels.length),
    perClass,
    confusion: { labels: [...labels], counts },
  };
}

function checkShapes({ labels, actual, predicted, probabilities }: ClassificationInput): void {
  const classes = labels.length;
  if (classes === 0) throw new Error('classificationMetrics: labels is empty');
  if (actual.length === 0) throw new Error('classificationMetrics: no rows to evaluate');
  if (predicted.length !== actual.length) {
    throw new Error(`classificationMetrics: actual has ${actual.length} rows, predicted ${predicted.length}`);
  }
  if (probabilities.length !== actual.length * classes) {
    throw new Error(`classificationMetrics: probabilities hold ${probabilities.length} values, expected rows×labels = ${actual.length}×${classes}`);
  }
  for (const [name, values] of [['actual', actual], ['predicted', predicted]] as const) {
    for (let r = 0; r < values.length; r++) {
      const c = values[r];
      if (!Number.isInteger(c) || c < 0 || c >= classes) {
        throw new Error(`classificationMetrics: ${name}[${r}] = ${c} is not a class index in 0…${classes - 1}`);
      }
    }
  }
}

// actual, predicted: rows → counts: classes×classes
function confusionCounts(actual: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let r = 0; r < actual.length; r++) counts[actual[r]][predicted[r]]++;
  return counts;
}

function classScores(counts: number[][], c: number, label: string): ClassScores {
  const truePositives = counts[c][c];
  let support = 0;
  let predictedAs = 0;
  for (let k = 0; k < counts.length; k++) {
    support += counts[c][k];
    predictedAs += counts[k][c];
  }
  const precision = predictedAs === 0 ? 0 : truePositives / predictedAs;
  const recall = support === 0 ? 0 : truePositives / support;
  // F1 from precision and recall, as sklearn computes it.
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { label, precision, recall, f1, support };
}

/**
 * Mean −log p(true class). As sklearn ≥ 1.2 (eps='auto'), probabilities are clipped to [eps, 1 − eps]
 * with eps the machine epsilon of their array type (2^-23 for float32, 2^-52 for float64), and each
 * row is renormalised to sum to 1 after clipping; so a 0 on the true class costs −log(eps), not ∞.
 */
// actual: rows, probabilities: rows×classes
function logLoss(actual: ArrayLike<number>, probabilities: Float32Array | Float64Array, classes: number): number {
  const eps = probabilities instanceof Float32Array ? 2 ** -23 : Number.EPSILON;
  const clip = (p: number) => Math.min(Math.max(p, eps), 1 - eps);
  let total = 0;
  for (let r = 0; r < actual.length; r++) {
    const offset = r * classes;
    let rowSum = 0;
    for (let c = 0; c < classes; c++) rowSum += clip(probabilities[offset + c]);
    total -= Math.log(clip(probabilities[offset + actual[r]]) / rowSum);
  }
  return total / actual.length;
}

function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
