import type { Task } from './dataset.ts';
import { ACTIVATIONS, LOSSES, type ModelSpec } from './spec.ts';
import type { TrainingConfig } from './training-config.ts';

export interface SpecIssue {
  /** JSON path into the job body, e.g. "model.layers[1].activation". */
  path: string;
  message: string;
}

export interface DataShape {
  task: Task;
  features: number;
  classes?: number;
  rows: number;
}

const EARLY_STOPPING_METRICS = ['loss', 'valLoss', 'accuracy', 'valAccuracy'];

/** Every reason the job cannot train, at once. Empty when it can. */
export function validateJob(spec: ModelSpec, training: TrainingConfig, data: DataShape): SpecIssue[] {
  return [...modelIssues(spec, data), ...lossIssues(spec, training, data), ...trainingIssues(training, data)];
}

function isPositiveInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function modelIssues(spec: ModelSpec, data: DataShape): SpecIssue[] {
  const issues: SpecIssue[] = [];
  if (spec.inputSize !== data.features) {
    issues.push({ path: 'model', message: `the input size ${spec.inputSize} does not match the dataset's ${data.features} features` });
  }
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) {
    issues.push({ path: 'model.layers', message: 'at least one layer is needed' });
    return issues;
  }
  const last = spec.layers.length - 1;
  spec.layers.forEach((layer, i) => {
    if (!isPositiveInteger(layer.units)) issues.push({ path: `model.layers[${i}].units`, message: 'units must be a positive integer' });
    if (!ACTIVATIONS.includes(layer.activation)) {
      issues.push({ path: `model.layers[${i}].activation`, message: `unknown activation "${layer.activation}"; use one of ${ACTIVATIONS.join(', ')}` });
    } else if (layer.activation === 'softmax' && i !== last) {
      issues.push({ path: `model.layers[${i}].activation`, message: 'softmax is allowed on the last layer only' });
    }
  });
  const output = spec.layers[last];
  if (data.task === 'classification' && data.classes !== undefined && isPositiveInteger(output.units)) {
    const binarySigmoid = output.units === 1 && data.classes === 2 && output.activation === 'sigmoid';
    if (output.units !== data.classes && !binarySigmoid) {
      issues.push({
        path: `model.layers[${last}].units`,
        message: `the output layer has ${output.units} units but the dataset has ${data.classes} classes` +
          (data.classes === 2 ? ' (or use 1 sigmoid unit)' : ''),
      });
    }
  }
  if (data.task === 'regression') {
    if (output.units !== 1) issues.push({ path: `model.layers[${last}].units`, message: 'regression predicts one target: the output layer needs 1 unit' });
    if (output.activation === 'softmax') issues.push({ path: `model.layers[${last}].activation`, message: 'softmax makes no sense for regression' });
  }
  return issues;
}

function lossIssues(spec: ModelSpec, training: TrainingConfig, data: DataShape): SpecIssue[] {
  const output = spec.layers?.[spec.layers.length - 1];
  if (!output) return [];
  const loss = training.loss;
  if (!LOSSES.includes(loss)) return [{ path: 'training.loss', message: `unknown loss "${loss}"; use one of ${LOSSES.join(', ')}` }];
  const issues: SpecIssue[] = [];
  if (output.activation === 'softmax' && loss !== 'cross_entropy') {
    issues.push({ path: 'training.loss', message: 'a softmax output trains with cross_entropy' });
  }
  if (loss === 'binary_cross_entropy' && output.activation !== 'sigmoid') {
    issues.push({ path: 'training.loss', message: 'binary_cross_entropy needs a sigmoid output layer' });
  }
  if (loss === 'cross_entropy' && output.activation !== 'softmax' && output.activation !== 'sigmoid') {
    issues.push({ path: 'training.loss', message: 'cross_entropy needs a softmax or sigmoid output layer' });
  }
  if (loss !== 'mse' && data.task === 'regression') {
    issues.push({ path: 'training.loss', message: 'regression trains with mse' });
  }
  return issues;
}

function trainingIssues(training: TrainingConfig, data: DataShape): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const { optimizer } = training;
  const check = (ok: boolean, path: string, message: string) => ok || issues.push({ path, message });
  check(isPositiveInteger(training.epochs), 'training.epochs', 'epochs must be a positive integer');
  check(isPositiveInteger(training.batchSize), 'training.batchSize', 'batchSize must be a positive integer');
  check(training.validationSplit >= 0 && training.validationSplit < 1, 'training.validationSplit', 'validationSplit must be in [0, 1)');
  const trainRows = data.rows - Math.floor(training.validationSplit * data.rows);
  check(trainRows >= 1, 'training.validationSplit', `the split leaves no training rows out of ${data.rows}`);
  check(Number.isInteger(training.seed), 'training.seed', 'seed must be an integer');
  check(optimizer.type === 'sgd' || optimizer.type === 'adam', 'training.optimizer.type', 'optimizer must be sgd or adam');
  check(Number.isFinite(optimizer.learningRate) && optimizer.learningRate > 0, 'training.optimizer.learningRate', 'learningRate must be a positive number');
  check(optimizer.momentum >= 0 && optimizer.momentum < 1, 'training.optimizer.momentum', 'momentum must be in [0, 1)');
  check(optimizer.beta1 >= 0 && optimizer.beta1 < 1, 'training.optimizer.beta1', 'beta1 must be in [0, 1)');
  check(optimizer.beta2 >= 0 && optimizer.beta2 < 1, 'training.optimizer.beta2', 'beta2 must be in [0, 1)');
  check(optimizer.epsilon > 0, 'training.optimizer.epsilon', 'epsilon must be positive');
  check(optimizer.weightDecay >= 0 && Number.isFinite(optimizer.weightDecay), 'training.optimizer.weightDecay', 'weightDecay must be ≥ 0');
  check(Number.isInteger(training.metricsEverySteps) && training.metricsEverySteps >= 0, 'training.metricsEverySteps', 'metricsEverySteps must be a non-negative integer');
  const stopping = training.earlyStopping;
  if (stopping) {
    check(EARLY_STOPPING_METRICS.includes(stopping.metric), 'training.earlyStopping.metric', `metric must be one of ${EARLY_STOPPING_METRICS.join(', ')}`);
    check(isPositiveInteger(stopping.patience), 'training.earlyStopping.patience', 'patience must be a positive integer');
    check(stopping.minDelta >= 0, 'training.earlyStopping.minDelta', 'minDelta must be ≥ 0');
    const needsValidation = stopping.metric === 'valLoss' || stopping.metric === 'valAccuracy';
    check(!needsValidation || training.validationSplit > 0, 'training.earlyStopping.metric', `${stopping.metric} needs a validationSplit above 0`);
    const needsClasses = stopping.metric === 'accuracy' || stopping.metric === 'valAccuracy';
    check(!needsClasses || data.task === 'classification', 'training.earlyStopping.metric', 'accuracy is defined for classification only');
  }
  return issues;
}
