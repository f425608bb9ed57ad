import type { TrainOutcome } from '@trainyard/backprop';
import type { ModelEvaluation } from '@trainyard/tabular';

/** Columns named in the summary's importance list (the service's evaluation lists them all). */
export const TOP_FEATURES = 5;

/** The evaluation's headline numbers, as GET /v1/jobs/:id/evaluation names them. */
export type EvaluationSummary = {
  split: ModelEvaluation['split'];
  rows: number;
  /** The most important original columns, highest first. */
  topFeatures: { feature: string; importance: number }[];
} & ({ accuracy: number; balancedAccuracy: number; macroF1: number } | { rmse: number; mae: number; r2: number });

/** The stdout line: issue 2's fields (absent metrics as null; regression adds its errors) and the evaluation. */
export function summary(outcome: TrainOutcome, evaluation: ModelEvaluation | null) {
  const metrics = outcome.metrics;
  const regression = metrics?.rmse !== undefined
    ? { rmse: metrics.rmse, mae: metrics.mae ?? null, r2: metrics.r2 ?? null, valRmse: metrics.valRmse ?? null, valMae: metrics.valMae ?? null, valR2: metrics.valR2 ?? null }
    : {};
  return {
    epochsRun: outcome.epochsRun,
    metrics: {
      loss: metrics?.loss ?? null,
      accuracy: metrics?.accuracy ?? null,
      valLoss: metrics?.valLoss ?? null,
      valAccuracy: metrics?.valAccuracy ?? null,
      ...regression,
    },
    samplesPerSecond: outcome.samplesPerSecond,
    backend: outcome.backend,
    stoppedEarly: outcome.stoppedEarly,
    evaluation: evaluation && summarizeEvaluation(evaluation),
  };
}

export function summarizeEvaluation(evaluation: ModelEvaluation): EvaluationSummary {
  const { split, rows, classification, regression } = evaluation;
  const topFeatures = evaluation.featureImportance.slice(0, TOP_FEATURES).map(({ feature, importance }) => ({ feature, importance }));
  if (classification) {
    const { accuracy, balancedAccuracy, macroF1 } = classification;
    return { split, rows, accuracy, balancedAccuracy, macroF1, topFeatures };
  }
  const { rmse, mae, r2 } = regression!;
  return { split, rows, rmse, mae, r2, topFeatures };
}
