import { describe, expect, it } from 'vitest';
import { loadConfig } from '@trainyard/config';
import type { ApiError } from '@trainyard/contracts';
import { parameterCount, prepareJob } from './prepare.ts';

const limits = loadConfig({}).limits;
const iris = { id: 'builtin:iris', task: 'classification' as const, features: ['a', 'b', 'c', 'd'], classes: ['x', 'y', 'z'], rows: 150, builtin: true, sha256: 'x' };

const fourInputs = async () => 4;

async function failure(run: () => Promise<unknown>): Promise<ApiError> {
  try {
    await run();
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('expected a failure');
}

describe('prepareJob', () => {
  it('counts weights and biases layer by layer', () => {
    // 4→16: 64 + 16, 16→3: 48 + 3
    expect(parameterCount(4, [{ units: 16 }, { units: 3 }])).toBe(131);
  });

  it('fills every default and takes the input size from the dataset', async () => {
    const spec = await prepareJob({ dataset: 'builtin:iris', model: { layers: [{ units: 3, activation: 'softmax' }] } }, iris, limits, fourInputs);
    expect(spec.model).toEqual({ inputSize: 4, layers: [{ units: 3, activation: 'softmax' }] });
    expect(spec.snapshots).toEqual({ everyEpochs: 10, keep: 5 });
    expect(spec.training.loss).toBe('cross_entropy');
    expect([spec.metadata, spec.webhook, spec.initialWeights]).toEqual([null, null, null]);
  });

  it('gives a webhook the default events', async () => {
    const spec = await prepareJob({ dataset: 'builtin:iris', model: { layers: [{ units: 3, activation: 'softmax' }] }, webhook: { url: 'https://h.test/x' } }, iris, limits, fourInputs);
    expect(spec.webhook).toEqual({ url: 'https://h.test/x', events: ['succeeded', 'failed', 'cancelled'] });
  });

  it('answers 422 for an unknown dataset and for what the engine refuses', async () => {
    expect((await failure(() => prepareJob({ dataset: 'x', model: { layers: [{ units: 3, activation: 'softmax' }] } }, null, limits, fourInputs))).details).toEqual([
      { path: 'dataset', message: expect.any(String) },
    ]);
    const refused = await failure(() => prepareJob({ dataset: 'builtin:iris', model: { layers: [{ units: 2, activation: 'softmax' }] } }, iris, limits, fourInputs));
    expect([refused.status, refused.code]).toEqual([422, 'invalid_spec']);
  });

  it('answers 422 limit_exceeded with the epochs × rows budget spelled out', async () => {
    const error = await failure(() =>
      prepareJob({ dataset: 'builtin:iris', model: { layers: [{ units: 3, activation: 'softmax' }] }, training: { epochs: 10 } }, iris, { ...limits, maxComputeBudget: 1000 }, fourInputs),
    );
    expect(error.code).toBe('limit_exceeded');
    expect(error.details![0].message).toContain('10 × 150 = 1500');
  });
});
