import { describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { JobSubmitBody } from './jobs.ts';

// The example of API.md, verbatim.
const contractExample = {
  dataset: 'builtin:iris',
  model: { layers: [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
  training: {
    epochs: 100, batchSize: 32,
    optimizer: { type: 'adam', learningRate: 0.01 },
    loss: 'cross_entropy',
    validationSplit: 0.2, shuffle: true, seed: 42, normalize: true,
    earlyStopping: { metric: 'valLoss', patience: 10 },
  },
  snapshots: { everyEpochs: 10, keep: 5 },
  initialWeights: null,
  webhook: { url: 'https://example.test/hooks/trainyard', events: ['succeeded', 'failed', 'cancelled'] },
  metadata: { any: 'client data' },
};

describe('JobSubmitBody', () => {
  it('accepts the contract example and the minimal job', () => {
    expect(Value.Check(JobSubmitBody, contractExample)).toBe(true);
    expect(Value.Check(JobSubmitBody, { dataset: 'builtin:xor', model: { layers: [{ units: 1, activation: 'sigmoid' }] } })).toBe(true);
  });

  it('rejects unknown fields, unknown activations and empty models', () => {
    expect(Value.Check(JobSubmitBody, { ...contractExample, epochs: 3 })).toBe(false);
    expect(Value.Check(JobSubmitBody, { ...contractExample, model: { layers: [{ units: 3, activation: 'gelu' }] } })).toBe(false);
    expect(Value.Check(JobSubmitBody, { ...contractExample, model: { layers: [] } })).toBe(false);
    expect(Value.Check(JobSubmitBody, { ...contractExample, training: { epochs: 0 } })).toBe(false);
  });

  it('accepts only http(s) webhooks', () => {
    expect(Value.Check(JobSubmitBody, { ...contractExample, webhook: { url: 'ftp://example.test/x' } })).toBe(false);
  });
});
