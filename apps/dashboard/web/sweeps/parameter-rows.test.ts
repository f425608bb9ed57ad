import { describe, expect, it } from 'vitest';
import { parametersOf, parseValues, placeDetails, type ParameterRow } from './parameter-rows.ts';

const row = (path: string, kind: ParameterRow['kind'], values = '', low = '', high = ''): ParameterRow => ({ path, kind, values, low, high });

describe('parseValues', () => {
  it('reads numbers, booleans and JSON strings, and bare words as strings', () => {
    expect(parseValues('0.1, 0.01,1e-3')).toEqual([0.1, 0.01, 0.001]);
    expect(parseValues('relu, tanh, "leaky_relu", true, null')).toEqual(['relu', 'tanh', 'leaky_relu', true, null]);
    expect(parseValues('[8, 16, {"a": 1}]')).toEqual([8, 16, { a: 1 }]);
    expect(parseValues('  ')).toEqual([]);
    expect(parseValues('4,,8')).toEqual([4, '', 8]);
  });
});

describe('parametersOf', () => {
  it('builds the body\'s parameters from the rows, leaving out rows without a path', () => {
    expect(parametersOf([
      row('training.optimizer.learningRate', 'logUniform', '', '0.0001', '0.1'),
      row(' model.layers.0.units ', 'values', '8, 32'),
      row('training.batchSize', 'intUniform', '', '8', '64'),
      row('', 'values', '1'),
      row('training.optimizer.weightDecay', 'uniform', '', '', '0.1'),
    ])).toEqual({
      'training.optimizer.learningRate': { logUniform: [0.0001, 0.1] },
      'model.layers.0.units': { values: [8, 32] },
      'training.batchSize': { intUniform: [8, 64] },
      'training.optimizer.weightDecay': { uniform: [Number.NaN, 0.1] },
    });
  });
});

describe('placeDetails', () => {
  const paths = ['model.layers.1.units', 'training.batchSize'];

  it('keeps parameter paths and the sweep\'s own fields', () => {
    const details = [{ path: 'parameters.model.layers.4.units', message: 'no such layer' }, { path: 'trials', message: 'is required' }];
    expect(placeDetails(details, paths)).toEqual(details);
  });

  it('puts a trial\'s problem beside the parameter it concerns, else on the base job, naming the trial', () => {
    expect(placeDetails([
      { path: 'trials[1].model.layers[1].units', message: 'must be 3' },
      { path: 'trials[0].training', message: 'must NOT have additional properties' },
      { path: 'trials[2]', message: 'is invalid' },
    ], paths)).toEqual([
      { path: 'parameters.model.layers.1.units', message: 'trial 1 (model.layers[1].units): must be 3' },
      { path: 'base.training', message: 'trial 0 (training): must NOT have additional properties' },
      { path: 'base', message: 'trial 2: is invalid' },
    ]);
  });
});
