import { describe, expect, it } from 'vitest';
import { applyParameters, PathError } from './apply-parameters.ts';
import { checkSpace } from './space.ts';

const base = {
  dataset: 'builtin:iris',
  model: { layers: [{ units: 8, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
  training: { epochs: 10 },
};

describe('applyParameters', () => {
  it('sets each path on a copy, creating missing objects, indexing arrays', () => {
    const body = applyParameters(base, { 'training.optimizer.learningRate': 0.01, 'model.layers.0.units': 32, 'training.batchSize': 16 });
    expect(body).toEqual({
      dataset: 'builtin:iris',
      model: { layers: [{ units: 32, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
      training: { epochs: 10, optimizer: { learningRate: 0.01 }, batchSize: 16 },
    });
    expect(base.model.layers[0].units).toBe(8);
    expect(base.training).toEqual({ epochs: 10 });
  });

  it('names the path when an index is past the array or a value is in the way', () => {
    expect(() => applyParameters(base, { 'model.layers.5.units': 4 })).toThrow(PathError);
    expect(() => applyParameters(base, { 'model.layers.5.units': 4 })).toThrow(/model\.layers\.5 is not an element of an array of 2/);
    expect(() => applyParameters(base, { 'dataset.name': 'x' })).toThrow(/dataset is "builtin:iris", not an object/);
  });
});

describe('checkSpace', () => {
  it('accepts a valid space and explains each problem of a bad one with its path', () => {
    expect(checkSpace({ 'training.batchSize': { values: [16, 32] }, 'model.layers.0.units': { intUniform: [4, 8] } }, 'grid')).toEqual([]);
    const issues = checkSpace({
      'training..lr': { values: [1] },
      a: { values: [] },
      b: { logUniform: [0, 1] },
      c: { uniform: [2, 1] },
      d: { intUniform: [1.5, 3] },
      e: { uniform: [0, 1] },
    }, 'grid');
    expect(issues.map((i) => i.path)).toEqual([
      'parameters.training..lr', 'parameters.a.values', 'parameters.b.logUniform', 'parameters.b.logUniform',
      'parameters.c.uniform', 'parameters.c.uniform', 'parameters.d.intUniform', 'parameters.e.uniform',
    ]);
    expect(checkSpace({}, 'random')).toEqual([{ path: 'parameters', message: 'names no parameter' }]);
  });
});
