import { predict, type Kernel, type SavedModel } from '@trainyard/backprop';
import { classificationMetrics, permutationImportance, regressionMetrics } from './evaluation/index.ts';
import { columnWidths } from './preprocessing/preprocessing.ts';
import { encodedRows, type TrainingData } from './prepare-training.ts';

export type EvaluatedSplit = 'test' | 'validation' | 'train';

export interface ModelEvaluation {
  split: EvaluatedSplit;
  rows: number;
  classification?: ReturnType<typeof classificationMetrics>;
  regression?: ReturnType<typeof regressionMetrics> & { predictedVsActual: { actual: number; predicted: number }[] };
  featureImportance: { feature: string; importance: number }[];
}

/** Shuffles per column for permutation importance. */
const IMPORTANCE_REPEATS = 5;
/**
 * Multiply-adds permutation importance may spend (columns × repeats × rows × the network's weights): past it,
 * importance is measured on an even sample of the held-out rows (at least 200), so a wide table (MNIST: 784
 * columns) costs about a second, not minutes. The metrics themselves always use every held-out row.
 */
export const IMPORTANCE_BUDGET = 4e9;
const MIN_IMPORTANCE_ROWS = 200;
/** Rows of a regression's predicted-vs-actual sample. */
const PLOTTED_ROWS = 500;

/**
 * A model of the job on the job's held-out rows: the test split when there is one, else validation (else,
 * with neither, the training rows). Permutation importance shuffles each original column's inputs together,
 * scored by accuracy (classification) or R² (regression), seeded by the job's seed.
 */
export function evaluateModel(model: SavedModel, data: TrainingData, seed: number, kernel?: Kernel): ModelEvaluation {
  const { split: parts, dataset } = data;
  const split: EvaluatedSplit = parts.test.length > 0 ? 'test' : parts.validation.length > 0 ? 'validation' : 'train';
  const rows = split === 'test' ? parts.test : split === 'validation' ? parts.validation : parts.train;
  const width = dataset.features.length;
  const x = encodedRows(dataset, rows);
  const target = data.preprocessing.target;
  const actual = Float64Array.from(rows, (row) => (target ? dataset.y[row] * target.std + target.mean : dataset.y[row]));
  const classes = dataset.task === 'classification' ? dataset.classes ?? [] : null;

  const run = (inputs: Float32Array) => outcome(predict(model, inputs, rows.length, kernel), rows.length, classes);
  const baseline = run(x);
  const score = (o: Outcome) => (classes ? accuracy(o.predicted!, actual) : regressionMetrics(actual, o.values!).r2);

  const blocks = columnBlocks(data);
  const weights = model.layers.reduce((sum, layer) => sum + layer.weight.length, 0);
  const affordable = Math.floor(IMPORTANCE_BUDGET / Math.max(1, blocks.length * IMPORTANCE_REPEATS * weights));
  const sample = evenSample(rows.length, Math.max(MIN_IMPORTANCE_ROWS, affordable));
  const sampleX = new Float32Array(sample.length * width);
  sample.forEach((i, k) => sampleX.set(x.subarray(i * width, (i + 1) * width), k * width));
  const sampleActual = Float64Array.from(sample, (i) => actual[i]);
  const sampleScore = (inputs: Float32Array) => {
    const o = outcome(predict(model, inputs, sample.length, kernel), sample.length, classes);
    return classes ? accuracy(o.predicted!, sampleActual) : regressionMetrics(sampleActual, o.values!).r2;
  };
  const shuffled = new Float32Array(sampleX.length);
  const featureImportance = permutationImportance({
    features: blocks.map((b) => b.name),
    rows: sample.length,
    repeats: IMPORTANCE_REPEATS,
    seed,
    score: (permutation) => {
      if (permutation === null) return sample.length === rows.length ? score(baseline) : sampleScore(sampleX);
      const { start, end } = blocks[permutation.feature];
      shuffled.set(sampleX);
      for (let r = 0; r < sample.length; r++) {
        const from = permutation.order[r] * width;
        shuffled.set(sampleX.subarray(from + start, from + end), r * width + start);
      }
      return sampleScore(shuffled);
    },
  });

  const evaluation: ModelEvaluation = { split, rows: rows.length, featureImportance };
  if (classes) {
    evaluation.classification = classificationMetrics({ labels: classes, actual, predicted: baseline.predicted!, probabilities: baseline.probabilities! });
  } else {
    const values = baseline.values!;
    const plotted = Array.from(evenSample(rows.length, PLOTTED_ROWS), (i) => ({ actual: actual[i], predicted: values[i] }));
    evaluation.regression = { ...regressionMetrics(actual, values), predictedVsActual: plotted };
  }
  return evaluation;
}

interface Outcome {
  predicted?: Int32Array;
  probabilities?: Float64Array;
  values?: Float64Array;
}

/** Outputs (rows×units) → class probabilities (rows×classes; one sigmoid unit gives [1 − p, p]) and classes, or values. */
function outcome(outputs: Float32Array, rows: number, classes: string[] | null): Outcome {
  if (!classes) return { values: Float64Array.from(outputs) };
  const units = outputs.length / rows;
  const k = classes.length;
  const probabilities = new Float64Array(rows * k);
  const predicted = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    if (units === 1) {
      const p = outputs[r];
      probabilities[r * 2] = 1 - p;
      probabilities[r * 2 + 1] = p;
      predicted[r] = p >= 0.5 ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let j = 0; j < k; j++) {
      probabilities[r * k + j] = outputs[r * units + j];
      if (outputs[r * units + j] > outputs[r * units + best]) best = j;
    }
    predicted[r] = best;
  }
  return { predicted, probabilities };
}

/** `count` of 0…n−1, evenly spaced (all of them when count ≥ n). */
function evenSample(n: number, count: number): Uint32Array {
  if (count >= n) return Uint32Array.from({ length: n }, (_, i) => i);
  return Uint32Array.from({ length: count }, (_, k) => Math.floor((k * n) / count));
}

function accuracy(predicted: Int32Array, actual: Float64Array): number {
  let correct = 0;
  for (let i = 0; i < actual.length; i++) if (predicted[i] === actual[i]) correct++;
  return actual.length > 0 ? correct / actual.length : 0;
}

/** Each original column's range of encoded inputs. */
function columnBlocks(data: TrainingData): { name: string; start: number; end: number }[] {
  const widths = columnWidths(data.preprocessing);
  let start = 0;
  return data.preprocessing.columns.map((spec, i) => {
    const block = { name: spec.name, start, end: start + widths[i] };
    start = block.end;
    return block;
  });
}
