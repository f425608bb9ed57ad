import { describe, expect, it } from 'vitest';
import { JobFailure } from './job-failure.ts';
import { parseStoredSpec } from './job-spec.ts';

const TRAINING = {
  epochs: 3, batchSize: 8,
  optimizer: { type: 'adam', learningRate: 0.01, momentum: 0, nesterov: false, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 },
  loss: 'cross_entropy', validationSplit: 0.2, shuffle: true, seed: 1, normalize: true, earlyStopping: null, metricsEverySteps: 0,
};
const SPEC = {
  model: { inputSize: 4, layers: [{ units: 3, activation: 'softmax' }] },
  training: TRAINING, snapshots: { everyEpochs: 10, keep: 5 }, metadata: null, webhook: null, initialWeights: null,
};

describe('parseStoredSpec', () => {
  it('accepts the spec the API stores', () => {
    expect(parseStoredSpec(SPEC).model.layers).toHaveLength(1);
  });

  it('rejects anything else as invalid_spec, naming each path', () => {
    const bad = { ...SPEC, model: { layers: [] }, training: { ...TRAINING, epochs: 'many' } };
    let failure: unknown;
    try {
      parseStoredSpec(bad);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(JobFailure);
    const { code, details } = failure as JobFailure;
    expect(code).toBe('invalid_spec');
    const paths = details.map((detail) => detail.path);
    expect(paths).toContain('model.layers');
    expect(paths).toContain('training.epochs');
    expect(() => parseStoredSpec(null)).toThrow(JobFailure);
  });
});
