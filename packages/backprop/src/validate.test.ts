import { describe, expect, it } from 'vitest';
import { resolveTrainingConfig, type TrainingInput } from './config.ts';
import type { ModelSpec } from './spec.ts';
import { validateJob, type DataShape } from './validate.ts';

const classification: DataShape = { task: 'classification', features: 4, classes: 3, rows: 150 };
const binary: DataShape = { task: 'classification', features: 2, classes: 2, rows: 100 };
const regression: DataShape = { task: 'regression', features: 2, rows: 100 };

function issues(spec: ModelSpec, data: DataShape, input: TrainingInput = {}) {
  const output = spec.layers[spec.layers.length - 1] ?? { units: 1, activation: 'linear' };
  const training = resolveTrainingConfig(input, { task: data.task, outputActivation: output.activation, outputUnits: output.units });
  return validateJob(spec, training, data);
}

const paths = (list: { path: string }[]) => list.map((issue) => issue.path).sort();

describe('validateJob', () => {
  it('accepts well-formed jobs for each task', () => {
    expect(issues({ inputSize: 4, layers: [{ units: 8, activation: 'relu' }, { units: 3, activation: 'softmax' }] }, classification)).toEqual([]);
    expect(issues({ inputSize: 2, layers: [{ units: 2, activation: 'softmax' }] }, binary)).toEqual([]);
    expect(issues({ inputSize: 2, layers: [{ units: 1, activation: 'sigmoid' }] }, binary)).toEqual([]);
    expect(issues({ inputSize: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'linear' }] }, regression)).toEqual([]);
  });

  it('needs at least one layer', () => {
    expect(paths(issues({ inputSize: 4, layers: [] }, classification))).toEqual(['model.layers']);
  });

  it('names each bad layer by its index', () => {
    const spec = { inputSize: 4, layers: [{ units: 0, activation: 'relu' }, { units: 2.5, activation: 'swish' }, { units: 3, activation: 'softmax' }] } as unknown as ModelSpec;
    expect(paths(issues(spec, classification))).toEqual(['model.layers[0].units', 'model.layers[1].activation', 'model.layers[1].units']);
  });

  it('allows softmax on the last layer only', () => {
    const spec: ModelSpec = { inputSize: 4, layers: [{ units: 8, activation: 'softmax' }, { units: 3, activation: 'softmax' }] };
    expect(issues(spec, classification)).toEqual([{ path: 'model.layers[0].activation', message: expect.stringMatching(/last layer/) }]);
  });

  it('matches the input size to the features', () => {
    expect(paths(issues({ inputSize: 5, layers: [{ units: 3, activation: 'softmax' }] }, classification))).toEqual(['model.inputSize']);
  });

  it('matches output units to the classes, allowing 1 sigmoid unit for 2 classes', () => {
    expect(issues({ inputSize: 4, layers: [{ units: 2, activation: 'softmax' }] }, classification)).toEqual([
      { path: 'model.layers[0].units', message: expect.stringMatching(/2 units .* 3 classes/) },
    ]);
    expect(paths(issues({ inputSize: 2, layers: [{ units: 1, activation: 'linear' }] }, binary, { loss: 'mse' }))).toEqual(['model.layers[0].units']);
  });

  it('ties losses to output activations', () => {
    const softmax: ModelSpec = { inputSize: 4, layers: [{ units: 3, activation: 'softmax' }] };
    expect(paths(issues(softmax, classification, { loss: 'mse' }))).toEqual(['training.loss']);
    expect(paths(issues(softmax, classification, { loss: 'binary_cross_entropy' }))).toEqual(['training.loss', 'training.loss']);
    const linear: ModelSpec = { inputSize: 4, layers: [{ units: 3, activation: 'linear' }] };
    expect(paths(issues(linear, classification, { loss: 'cross_entropy' }))).toEqual(['training.loss']);
    expect(paths(issues(softmax, classification, { loss: 'hinge' as never }))).toEqual(['training.loss']);
  });

  it('wants one unit, no softmax and mse for regression', () => {
    expect(paths(issues({ inputSize: 2, layers: [{ units: 2, activation: 'softmax' }] }, regression))).toEqual([
      'model.layers[0].activation', 'model.layers[0].units', 'training.loss',
    ]);
    expect(paths(issues({ inputSize: 2, layers: [{ units: 1, activation: 'sigmoid' }] }, regression, { loss: 'binary_cross_entropy' }))).toEqual(['training.loss']);
  });

  it('reports every bad training setting at once, each under its own path', () => {
    const spec: ModelSpec = { inputSize: 4, layers: [{ units: 3, activation: 'softmax' }] };
    const input = {
      epochs: 0, batchSize: 1.5, validationSplit: 1, seed: 0.5, metricsEverySteps: -1,
      optimizer: { type: 'rmsprop', learningRate: Number.NaN, momentum: 1, beta1: -0.1, beta2: 1, epsilon: 0, weightDecay: -1 },
    } as unknown as TrainingInput;
    expect(paths(issues(spec, classification, input))).toEqual([
      'training.batchSize', 'training.epochs', 'training.metricsEverySteps',
      'training.optimizer.beta1', 'training.optimizer.beta2', 'training.optimizer.epsilon', 'training.optimizer.learningRate',
      'training.optimizer.momentum', 'training.optimizer.type', 'training.optimizer.weightDecay',
      'training.seed', 'training.validationSplit',
    ]);
  });

  it('rejects an infinite learning rate and a negative split', () => {
    const spec: ModelSpec = { inputSize: 4, layers: [{ units: 3, activation: 'softmax' }] };
    expect(paths(issues(spec, classification, { validationSplit: -0.1, optimizer: { learningRate: Infinity } }))).toEqual([
      'training.optimizer.learningRate', 'training.validationSplit',
    ]);
  });

  it('checks early stopping against the split and the task', () => {
    const spec: ModelSpec = { inputSize: 2, layers: [{ units: 1, activation: 'linear' }] };
    expect(paths(issues(spec, regression, { validationSplit: 0, earlyStopping: { metric: 'valLoss' } }))).toEqual(['training.earlyStopping.metric']);
    expect(paths(issues(spec, regression, { earlyStopping: { metric: 'accuracy', patience: 0, minDelta: -1 } }))).toEqual([
      'training.earlyStopping.metric', 'training.earlyStopping.minDelta', 'training.earlyStopping.patience',
    ]);
  });

  it('checks types, so a config read from untyped JSON gets issues rather than coerced arithmetic', () => {
    const spec: ModelSpec = { inputSize: 4, layers: [{ units: 3, activation: 'softmax' }] };
    const input = {
      epochs: '5', shuffle: 'yes', normalize: 1, validationSplit: '0.2',
      optimizer: { learningRate: '0.1', nesterov: 'no', weightDecay: '0.1' },
      earlyStopping: { restoreBest: 'true', patience: 2 },
    } as unknown as TrainingInput;
    expect(paths(issues(spec, classification, input))).toEqual([
      'training.earlyStopping.restoreBest', 'training.epochs', 'training.normalize', 'training.optimizer.learningRate',
      'training.optimizer.nesterov', 'training.optimizer.weightDecay', 'training.shuffle', 'training.validationSplit',
    ]);
  });

  it('wants at least 2 units for a softmax output and a dataset with rows', () => {
    const two: DataShape = { task: 'classification', features: 4, classes: 1, rows: 0 };
    expect(paths(issues({ inputSize: 4, layers: [{ units: 1, activation: 'softmax' }] }, two))).toEqual(['dataset', 'model.layers[0].units']);
  });
});
