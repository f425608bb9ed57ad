import type { Task } from './dataset.ts';
import type { Activation, Loss } from './spec.ts';
import type { EarlyStoppingConfig, OptimizerConfig, TrainingConfig } from './training-config.ts';

/** The API's `training` object as a client may send it: everything optional. */
export interface TrainingInput {
  epochs?: number;
  batchSize?: number;
  optimizer?: Partial<OptimizerConfig>;
  loss?: Loss;
  validationSplit?: number;
  shuffle?: boolean;
  seed?: number;
  normalize?: boolean;
  earlyStopping?: Partial<EarlyStoppingConfig> | null;
  metricsEverySteps?: number;
  testSplit?: number;
  classWeights?: 'balanced' | Record<string, number> | null;
  maxCategories?: number;
}

export const TRAINING_DEFAULTS = {
  epochs: 20,
  batchSize: 32,
  validationSplit: 0.2,
  shuffle: true,
  seed: 42,
  normalize: true,
  adamLearningRate: 0.001,
  sgdLearningRate: 0.01,
  patience: 10,
  testSplit: 0,
  maxCategories: 50,
} as const;

/** The loss that fits an output layer when the job names none. */
export function defaultLoss(task: Task, outputActivation: Activation): Loss {
  if (outputActivation === 'softmax') return 'cross_entropy';
  if (outputActivation === 'sigmoid' && task === 'classification') return 'binary_cross_entropy';
  return 'mse';
}

/** Fills every default of API.md's `training` object. */
export function resolveTrainingConfig(
  input: TrainingInput | undefined,
  context: { task: Task; outputActivation: Activation; outputUnits?: number },
): TrainingConfig {
  const given = input ?? {};
  const type = given.optimizer?.type ?? 'adam';
  const optimizer: OptimizerConfig = {
    type,
    learningRate: given.optimizer?.learningRate ?? (type === 'adam' ? TRAINING_DEFAULTS.adamLearningRate : TRAINING_DEFAULTS.sgdLearningRate),
    momentum: given.optimizer?.momentum ?? 0,
    nesterov: given.optimizer?.nesterov ?? false,
    beta1: given.optimizer?.beta1 ?? 0.9,
    beta2: given.optimizer?.beta2 ?? 0.999,
    epsilon: given.optimizer?.epsilon ?? 1e-8,
    weightDecay: given.optimizer?.weightDecay ?? 0,
  };
  const validationSplit = given.validationSplit ?? TRAINING_DEFAULTS.validationSplit;
  const earlyStopping: EarlyStoppingConfig | null = given.earlyStopping
    ? {
        metric: given.earlyStopping.metric ?? (validationSplit > 0 ? 'valLoss' : 'loss'),
        patience: given.earlyStopping.patience ?? TRAINING_DEFAULTS.patience,
        minDelta: given.earlyStopping.minDelta ?? 0,
        restoreBest: given.earlyStopping.restoreBest ?? true,
      }
    : null;
  return {
    epochs: given.epochs ?? TRAINING_DEFAULTS.epochs,
    batchSize: given.batchSize ?? TRAINING_DEFAULTS.batchSize,
    optimizer,
    loss: given.loss ?? defaultLoss(context.task, context.outputActivation),
    validationSplit,
    shuffle: given.shuffle ?? TRAINING_DEFAULTS.shuffle,
    seed: given.seed ?? TRAINING_DEFAULTS.seed,
    normalize: given.normalize ?? TRAINING_DEFAULTS.normalize,
    earlyStopping,
    metricsEverySteps: given.metricsEverySteps ?? 0,
    testSplit: given.testSplit ?? TRAINING_DEFAULTS.testSplit,
    classWeights: given.classWeights ?? null,
    maxCategories: given.maxCategories ?? TRAINING_DEFAULTS.maxCategories,
  };
}
