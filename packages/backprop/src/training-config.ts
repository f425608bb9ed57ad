import type { Loss } from './spec.ts';

export type EarlyStoppingMetric = 'loss' | 'valLoss' | 'accuracy' | 'valAccuracy';

export interface OptimizerConfig {
  type: 'sgd' | 'adam';
  learningRate: number;
  /** sgd only */
  momentum: number;
  /** sgd only */
  nesterov: boolean;
  /** adam only */
  beta1: number;
  beta2: number;
  epsilon: number;
  /** L2 for sgd, decoupled (AdamW) for adam. */
  weightDecay: number;
}

export interface EarlyStoppingConfig {
  metric: EarlyStoppingMetric;
  patience: number;
  /** Smallest change that counts as an improvement. */
  minDelta: number;
  /** On stop, return to the best epoch's weights. */
  restoreBest: boolean;
}

/** The job's `training` object with every default filled in. */
export interface TrainingConfig {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  loss: Loss;
  validationSplit: number;
  shuffle: boolean;
  seed: number;
  normalize: boolean;
  earlyStopping: EarlyStoppingConfig | null;
  /** Also report metrics every N steps inside an epoch (0: once per epoch only). */
  metricsEverySteps: number;
  // How a table becomes the engine's dataset (read by @trainyard/tabular; the engine gets the result):
  /** Fraction held out for evaluation only, before the validation split (absent in older jobs: 0). */
  testSplit?: number;
  /** Loss weights per class: "balanced" or by label (absent: none). */
  classWeights?: 'balanced' | Record<string, number> | null;
  /** One-hot inputs per category column (absent: 50). */
  maxCategories?: number;
}
