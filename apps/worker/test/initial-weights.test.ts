// initialWeights: training starts from an uploaded snapshot or an earlier job's snapshot. With a learning
// rate too small to move any weight, the final weights must be the initial ones; a control job without
// them ends elsewhere; weights of another shape (or another tenant's) fail the job with bad_initial_weights.
import { encodeSafetensors, type Activation, type SavedModel } from '@trainyard/backprop';
import { newId } from '@trainyard/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors, type ReferenceModel } from './reference-model.ts';
import { createWorld, type World } from './world.ts';

const LAYERS: { units: number; activation: Activation }[] = [{ units: 5, activation: 'tanh' }, { units: 3, activation: 'softmax' }];
// sgd with lr 1e-30: every update is far below half an ulp of the weights it would change.
const FROZEN = { epochs: 2, batchSize: 16, optimizer: { type: 'sgd' as const, learningRate: 1e-30 } };
const ended = (status: string) => ['succeeded', 'failed', 'cancelled'].includes(status);

/** Weights with a fixed, recognisable pattern (no engine involved). */
function patternModel(layers: { units: number; activation: Activation }[], inputSize: number): SavedModel {
  let fanIn = inputSize;
  return {
    architecture: { inputSize, layers },
    layers: layers.map((layer, l) => {
      const weight = Float32Array.from({ length: layer.units * fanIn }, (_, i) => Math.sin(1 + i * 0.7 + l) * 0.9);
      const bias = Float32Array.from({ length: layer.units }, (_, i) => Math.cos(i + l) * 0.1);
      fanIn = layer.units;
      return { weight, bias };
    }),
    normalization: null,
  };
}

function maxDifference(a: ReferenceModel, b: ReferenceModel): number {
  let max = 0;
  a.layers.forEach((layer, l) => {
    layer.weight.forEach((w, i) => (max = Math.max(max, Math.abs(w - b.layers[l].weight[i]))));
    layer.bias.forEach((w, i) => (max = Math.max(max, Math.abs(w - b.layers[l].bias[i]))));
  });
  return max;
}

describe('initialWeights', () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld('initial');
    await world.spawnWorker();
  });
  afterAll(() => world?.close());

  async function uploadSnapshot(model: SavedModel, tenantId = world.tenantId): Promise<string> {
    const weights = encodeSafetensors(model);
    const id = newId('snapshot');
    await world.db.prisma.snapshot.create({
      data: { id, tenantId, jobId: null, kind: 'uploaded', sizeBytes: weights.byteLength, weights: weights as Uint8Array<ArrayBuffer> },
    });
    return id;
  }

  async function finalWeights(id: string): Promise<ReferenceModel> {
    const job = await world.waitForJob(id, 'an end', (row) => ended(row.status));
    expect(job.errorMessage).toBeNull();
    expect(job.status).toBe('succeeded');
    const snapshot = await world.db.prisma.snapshot.findUniqueOrThrow({ where: { id: job.finalSnapshotId! } });
    return readSafetensors(snapshot.weights);
  }

  it('starts from uploaded weights', async () => {
    const uploaded = patternModel(LAYERS, 4);
    const snapshotId = await uploadSnapshot(uploaded);
    const started = await world.submit({ dataset: 'builtin:iris', layers: LAYERS, training: FROZEN, initialWeights: snapshotId });
    const control = await world.submit({ dataset: 'builtin:iris', layers: LAYERS, training: FROZEN });
    const expected = readSafetensors(encodeSafetensors(uploaded));
    expect(maxDifference(await finalWeights(started.id), expected)).toBeLessThan(1e-6);
    expect(maxDifference(await finalWeights(control.id), expected)).toBeGreaterThan(0.1);
  });

  it("starts from an earlier job's final snapshot", async () => {
    const earlier = await world.submit({ dataset: 'builtin:iris', layers: LAYERS, training: { epochs: 5 } });
    const earlierWeights = await finalWeights(earlier.id);
    const earlierJob = await world.job(earlier.id);
    const later = await world.submit({ dataset: 'builtin:iris', layers: LAYERS, training: FROZEN, initialWeights: earlierJob.finalSnapshotId });
    expect(maxDifference(await finalWeights(later.id), earlierWeights)).toBeLessThan(1e-6);
  });

  it('fails with bad_initial_weights when the shapes do not fit or the snapshot is not the tenant\'s', async () => {
    const wrongShape = await uploadSnapshot(patternModel([{ units: 7, activation: 'tanh' }, { units: 3, activation: 'softmax' }], 4));
    const otherTenant = newId('tenant');
    await world.db.prisma.tenant.create({ data: { id: otherTenant, name: 'other', webhookSecret: 'x' } });
    const foreign = await uploadSnapshot(patternModel(LAYERS, 4), otherTenant);
    for (const initialWeights of [wrongShape, foreign]) {
      const { id } = await world.submit({ dataset: 'builtin:iris', layers: LAYERS, training: FROZEN, initialWeights });
      const job = await world.waitForJob(id, 'an end', (row) => ended(row.status));
      expect(job.status).toBe('failed');
      expect(job.errorCode).toBe('bad_initial_weights');
    }
  });
});
