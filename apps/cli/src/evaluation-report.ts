import type { Evaluation } from '@trainyard/client';
import { formatNumber, formatTable } from './table.ts';
import { textBar } from './text-bar.ts';

const BAR_WIDTH = 24;
type Classification = NonNullable<Evaluation['classification']>;
type Regression = NonNullable<Evaluation['regression']>;

/** `jobs evaluate`: the scores, the confusion matrix and per-class table, then feature importance. */
export function describeEvaluation(evaluation: Evaluation): string {
  const { classification, regression } = evaluation;
  const sections = [`${evaluation.jobId}: ${evaluation.split} split, ${evaluation.rows} rows, snapshot ${evaluation.snapshotId}`];
  if (classification) sections.push(classificationScores(classification), confusionTable(classification), perClassTable(classification));
  if (regression) sections.push(regressionScores(regression));
  if (evaluation.featureImportance.length > 0) sections.push(importanceList(evaluation.featureImportance, regression ? 'R²' : 'accuracy'));
  return sections.join('\n\n');
}

function classificationScores(scores: Classification): string {
  return facts([
    ['accuracy', scores.accuracy],
    ['balanced accuracy', scores.balancedAccuracy],
    ['macro F1', scores.macroF1],
    ['weighted F1', scores.weightedF1],
    ['log loss', scores.logLoss],
    ['ROC AUC', scores.rocAuc],
  ]);
}

function regressionScores(scores: Regression): string {
  return facts([
    ['rmse', scores.rmse],
    ['mae', scores.mae],
    ['r2', scores.r2],
    ['median absolute error', scores.medianAbsoluteError],
  ]);
}

/** counts[i][j]: rows of true class labels[i] predicted as labels[j]. */
export function confusionTable({ confusion }: Classification): string {
  const rows = confusion.labels.map((label, i) => [label, ...confusion.counts[i].map(String)]);
  const right = confusion.labels.map((_, j) => j + 1);
  return `confusion matrix (rows: true class, columns: predicted)\n${formatTable(['TRUE \\ PREDICTED', ...confusion.labels], rows, { right })}`;
}

function perClassTable({ perClass }: Classification): string {
  const rows = perClass.map((entry) => [entry.label, formatNumber(entry.precision), formatNumber(entry.recall), formatNumber(entry.f1), String(entry.support)]);
  return formatTable(['CLASS', 'PRECISION', 'RECALL', 'F1', 'SUPPORT'], rows, { right: [4] });
}

/** Highest first, with a bar scaled to the largest importance (drops at or below zero get none). */
export function importanceList(importance: Evaluation['featureImportance'], metric: string): string {
  const sorted = [...importance].sort((a, b) => b.importance - a.importance);
  const max = Math.max(0, ...sorted.map((entry) => entry.importance));
  const rows = sorted.map((entry) => [entry.feature, formatNumber(entry.importance), textBar(entry.importance, max, BAR_WIDTH)]);
  return `feature importance (mean drop of ${metric} when the column is shuffled)\n${formatTable(['FEATURE', 'IMPORTANCE', ''], rows, { right: [1] })}`;
}

function facts(entries: [string, number | null][]): string {
  const width = Math.max(...entries.map(([name]) => name.length));
  return entries.map(([name, value]) => `${name.padEnd(width)}  ${formatNumber(value)}`).join('\n');
}
