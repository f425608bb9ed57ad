import { describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from './config.ts';

describe('resolveTrainingConfig', () => {
  it('fills the documented defaults', () => {
    expect(resolveTrainingConfig(undefined, { task: 'classification', outputActivation: 'softmax', outputUnits: 3 })).toEqual({
      epochs: 20,
      batchSize: 32,
      optimizer: { type: 'adam', learningRate: 0.001, momentum: 0, nesterov: false, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 },
      loss: 'cross_entropy',
      validationSplit: 0.2,
      shuffle: true,
      seed: 42,
      normalize: true,
      earlyStopping: null,
      metricsEverySteps: 0,
      testSplit: 0,
      classWeights: null,
      maxCategories: 50,
    });
  });

  it('picks the loss from the output layer and the task', () => {
    const loss = (task: 'classification' | 'regression', outputActivation: 'sigmoid' | 'linear' | 'softmax') =>
      resolveTrainingConfig({}, { task, outputActivation, outputUnits: 1 }).loss;
    expect(loss('classification', 'softmax')).toBe('cross_entropy');
    expect(loss('classification', 'sigmoid')).toBe('binary_cross_entropy');
    expect(loss('regression', 'sigmoid')).toBe('mse');
    expect(loss('regression', 'linear')).toBe('mse');
  });

  it('gives sgd its own learning rate and keeps what was given', () => {
    const config = resolveTrainingConfig({ epochs: 3, optimizer: { type: 'sgd', momentum: 0.9 } }, { task: 'regression', outputActivation: 'linear', outputUnits: 1 });
    expect(config.epochs).toBe(3);
    expect(config.optimizer).toMatchObject({ type: 'sgd', learningRate: 0.01, momentum: 0.9, nesterov: false });
  });

  it('completes early stopping, watching validation only when there is some', () => {
    const context = { task: 'classification' as const, outputActivation: 'softmax' as const, outputUnits: 3 };
    expect(resolveTrainingConfig({ earlyStopping: {} }, context).earlyStopping).toEqual({ metric: 'valLoss', patience: 10, minDelta: 0, restoreBest: true });
    expect(resolveTrainingConfig({ validationSplit: 0, earlyStopping: { patience: 2 } }, context).earlyStopping).toEqual({
      metric: 'loss', patience: 2, minDelta: 0, restoreBest: true,
    });
    expect(resolveTrainingConfig({ earlyStopping: null }, context).earlyStopping).toBeNull();
  });
});
