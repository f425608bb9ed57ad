import type { Task } from './dataset.ts';
import { ACTIVATIONS, LOSSES, type ModelSpec } from './spec.ts';
import type { TrainingConfig } from './training-config.ts';

export interface SpecIssue {
  /** JSON path into the job body, e.g. "model.layers[1].activation". */
  path: string;
  message: string;
}

/** The shape of the dataset a job trains on. */
export interface DataShape {
  task: Task;
  features: number;
  /** Number of classes (classification). */
  classes?: number;
  rows: number;
}

const EARLY_STOPPING_METRICS: readonly string[] = ['loss', 'valLoss', 'accuracy', 'valAccuracy'];

/**
 * Every reason the job cannot train, at once, each with its JSON path; empty when it can. Values are
 * checked by type too, so a config read from untyped JSON gets issues rather than odd arithmetic.
 */
export function validateJob(spec: ModelSpec, training: TrainingConfig, data: DataShape): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const report = (path: string, message: string) => issues.push({ path, message });
  checkModel(spec, data, report);
  checkLoss(spec, training, data, report);
  checkTraining(training, data, report);
  return issues;
}

type Report = (path: string, message: string) => void;

function isInteger(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** value ∈ [0, 1) */
function isFraction(value: unknown): boolean {
  return isFiniteNumber(value) && value >= 0 && value < 1;
}

function checkModel(spec: ModelSpec, data: DataShape, report: Report): void {
  if (!isInteger(spec.inputSize, 1)) report('model.inputSize', 'the input size must be a positive integer');
  else if (spec.inputSize !== data.features) report('model.inputSize', `the input size ${spec.inputSize} does not match the dataset's ${data.features} features`);
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) {
    report('model.layers', 'at least one layer is needed');
    return;
  }
  const last = spec.layers.length - 1;
  spec.layers.forEach((layer, i) => {
    if (!isInteger(layer?.units, 1)) report(`model.layers[${i}].units`, 'units must be a positive integer');
    if (!(ACTIVATIONS as readonly unknown[]).includes(layer?.activation)) {
      report(`model.layers[${i}].activation`, `unknown activation ${JSON.stringify(layer?.activation)}; use one of ${ACTIVATIONS.join(', ')}`);
    } else if (layer.activation === 'softmax' && i !== last) {
      report(`model.layers[${i}].activation`, 'softmax is allowed on the last layer only');
    }
  });
  const output = spec.layers[last];
  if (!isInteger(output?.units, 1)) return;
  const unitsPath = `model.layers[${last}].units`;
  if (output.activation === 'softmax' && output.units < 2) report(unitsPath, 'a softmax output needs at least 2 units');
  if (data.task === 'classification' && data.classes !== undefined) {
    const binarySigmoid = output.units === 1 && data.classes === 2 && output.activation === 'sigmoid';
    if (output.units !== data.classes && !binarySigmoid) {
      const hint = data.classes === 2 ? ' (or 1 sigmoid unit)' : '';
      report(unitsPath, `the output layer has ${output.units} units but the dataset has ${data.classes} classes${hint}`);
    }
  }
  if (data.task === 'regression') {
    if (output.units !== 1) report(unitsPath, 'regression predicts one target: the output layer needs 1 unit');
    if (output.activation === 'softmax') report(`model.layers[${last}].activation`, 'softmax does not fit regression; use linear');
  }
}

function checkLoss(spec: ModelSpec, training: TrainingConfig, data: DataShape, report: Report): void {
  const loss = training.loss;
  if (!(LOSSES as readonly unknown[]).includes(loss)) {
    report('training.loss', `unknown loss ${JSON.stringify(loss)}; use one of ${LOSSES.join(', ')}`);
    return;
  }
  const output = Array.isArray(spec.layers) ? spec.layers[spec.layers.length - 1] : undefined;
  if (!output) return;
  if (output.activation === 'softmax' && loss !== 'cross_entropy') report('training.loss', 'a softmax output trains with cross_entropy');
  if (loss === 'binary_cross_entropy' && output.activation !== 'sigmoid') report('training.loss', 'binary_cross_entropy needs a sigmoid output layer');
  if (loss === 'cross_entropy' && output.activation !== 'softmax' && output.activation !== 'sigmoid') {
    report('training.loss', 'cross_entropy needs a softmax or sigmoid output layer');
  }
  if (loss !== 'mse' && data.task === 'regression') report('training.loss', 'regression trains with mse');
}

function checkTraining(training: TrainingConfig, data: DataShape, report: Report): void {
  if (!isInteger(data.rows, 1)) report('dataset', 'the dataset has no rows');
  if (!isInteger(training.epochs, 1)) report('training.epochs', 'epochs must be a positive integer');
  if (!isInteger(training.batchSize, 1)) report('training.batchSize', 'batchSize must be a positive integer');
  if (!isFraction(training.validationSplit)) report('training.validationSplit', 'validationSplit must be a number in [0, 1)');
  if (typeof training.seed !== 'number' || !Number.isSafeInteger(training.seed)) report('training.seed', 'seed must be an integer');
  for (const flag of ['shuffle', 'normalize'] as const) {
    if (typeof training[flag] !== 'boolean') report(`training.${flag}`, `${flag} must be true or false`);
  }
  if (!isInteger(training.metricsEverySteps, 0)) report('training.metricsEverySteps', 'metricsEverySteps must be a non-negative integer');
  checkOptimizer(training.optimizer, report);
  checkEarlyStopping(training, data, report);
  checkTableOptions(training, data, report);
}

/** The fields the table preparation reads (absent in jobs stored before them). */
function checkTableOptions(training: TrainingConfig, data: DataShape, report: Report): void {
  const { testSplit, classWeights, maxCategories } = training;
  if (testSplit !== undefined && !(isFiniteNumber(testSplit) && testSplit >= 0 && testSplit <= 0.5)) report('training.testSplit', 'testSplit must be a number in [0, 0.5]');
  if (maxCategories !== undefined && !isInteger(maxCategories, 1)) report('training.maxCategories', 'maxCategories must be a positive integer');
  if (classWeights === undefined || classWeights === null) return;
  if (data.task !== 'classification') report('training.classWeights', 'class weights apply to classification only');
  else if (classWeights !== 'balanced') {
    const bad = Object.entries(classWeights).find(([, w]) => !(isFiniteNumber(w) && w >= 0));
    if (bad) report(`training.classWeights.${bad[0]}`, 'a class weight must be a finite number ≥ 0');
    else if (Object.values(classWeights).length > 0 && Object.values(classWeights).every((w) => w === 0)) report('training.classWeights', 'at least one class weight must be above 0');
  }
}

function checkOptimizer(optimizer: TrainingConfig['optimizer'], report: Report): void {
  const path = 'training.optimizer';
  if (typeof optimizer !== 'object' || optimizer === null) {
    report(path, 'the optimizer must be an object');
    return;
  }
  if (optimizer.type !== 'sgd' && optimizer.type !== 'adam') report(`${path}.type`, 'the optimizer must be sgd or adam');
  if (!(isFiniteNumber(optimizer.learningRate) && optimizer.learningRate > 0)) report(`${path}.learningRate`, 'learningRate must be a positive finite number');
  if (!isFraction(optimizer.momentum)) report(`${path}.momentum`, 'momentum must be in [0, 1)');
  if (typeof optimizer.nesterov !== 'boolean') report(`${path}.nesterov`, 'nesterov must be true or false');
  if (!isFraction(optimizer.beta1)) report(`${path}.beta1`, 'beta1 must be in [0, 1)');
  if (!isFraction(optimizer.beta2)) report(`${path}.beta2`, 'beta2 must be in [0, 1)');
  if (!(isFiniteNumber(optimizer.epsilon) && optimizer.epsilon > 0)) report(`${path}.epsilon`, 'epsilon must be a positive finite number');
  if (!(isFiniteNumber(optimizer.weightDecay) && optimizer.weightDecay >= 0)) report(`${path}.weightDecay`, 'weightDecay must be a finite number ≥ 0');
}

function checkEarlyStopping(training: TrainingConfig, data: DataShape, report: Report): void {
  const stopping = training.earlyStopping;
  if (stopping === null) return;
  const path = 'training.earlyStopping';
  if (typeof stopping !== 'object') {
    report(path, 'earlyStopping must be an object or null');
    return;
  }
  if (!EARLY_STOPPING_METRICS.includes(stopping.metric)) {
    report(`${path}.metric`, `metric must be one of ${EARLY_STOPPING_METRICS.join(', ')}`);
  } else {
    const validationMetric = stopping.metric === 'valLoss' || stopping.metric === 'valAccuracy';
    if (validationMetric && !(training.validationSplit > 0)) report(`${path}.metric`, `${stopping.metric} needs a validationSplit above 0`);
    const accuracyMetric = stopping.metric === 'accuracy' || stopping.metric === 'valAccuracy';
    if (accuracyMetric && data.task !== 'classification') report(`${path}.metric`, 'accuracy is defined for classification only');
  }
  if (!isInteger(stopping.patience, 1)) report(`${path}.patience`, 'patience must be a positive integer');
  if (!(isFiniteNumber(stopping.minDelta) && stopping.minDelta >= 0)) report(`${path}.minDelta`, 'minDelta must be a finite number ≥ 0');
  if (typeof stopping.restoreBest !== 'boolean') report(`${path}.restoreBest`, 'restoreBest must be true or false');
}
