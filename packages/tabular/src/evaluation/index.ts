export { classificationMetrics, type ClassificationInput, type ClassificationEvaluation, type ClassScores } from './classification-metrics.ts';
export { regressionMetrics, type RegressionEvaluation } from './regression-metrics.ts';
export { permutationImportance, type PermutationImportanceOptions, type ColumnPermutation, type FeatureImportance } from './permutation-importance.ts';
