// Rows as the worker writes them, so that the API's read paths (metrics, snapshots, weights, predict, SSE)
// can be tested without training. The worker's own end-to-end tests cover the real path.
import { encodeSafetensors, type SavedModel } from '@trainyard/backprop';
import { newId } from '@trainyard/contracts';
import { transitionJob, type PrismaClient } from '@trainyard/db';

/** A 4→3→3 network (relu, softmax) with fixed weights, shaped for builtin:iris. */
export function irisModel(normalize = true): SavedModel {
  const w0 = [0.5, -0.2, 0.1, 0.3, -0.4, 0.6, 0.2, -0.1, 0.3, 0.1, -0.5, 0.4]; // 3×4
  const w1 = [1, -1, 0.5, -0.5, 1, 0.2, 0.3, -0.2, 1]; // 3×3
  return {
    architecture: { inputSize: 4, layers: [{ units: 3, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
    layers: [
      { weight: Float32Array.from(w0), bias: Float32Array.from([0.1, 0, -0.1]) },
      { weight: Float32Array.from(w1), bias: Float32Array.from([0, 0.1, 0.2]) },
    ],
    normalization: normalize ? { mean: [5.8, 3.0, 3.8, 1.2], std: [0.8, 0.4, 1.8, 0.8] } : null,
    classes: ['setosa', 'versicolor', 'virginica'],
    target: 'species',
    features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
  };
}

/** Independent forward pass (float64), to check predict against. */
export function referenceForward(model: SavedModel, row: number[]): number[] {
  let a = model.normalization ? row.map((v, j) => (v - model.normalization!.mean[j]) / model.normalization!.std[j]) : row;
  model.layers.forEach((layer, index) => {
    const units = layer.bias.length;
    const z = Array.from({ length: units }, (_, i) => layer.bias[i] + a.reduce((sum, v, j) => sum + layer.weight[i * a.length + j] * v, 0));
    const activation = model.architecture.layers[index].activation;
    if (activation === 'relu') a = z.map((v) => Math.max(0, v));
    else if (activation === 'softmax') {
      const max = Math.max(...z);
      const e = z.map((v) => Math.exp(v - max));
      const sum = e.reduce((s, v) => s + v, 0);
      a = e.map((v) => v / sum);
    } else if (activation === 'sigmoid') a = z.map((v) => 1 / (1 + Math.exp(-v)));
    else if (activation === 'tanh') a = z.map(Math.tanh);
    else if (activation === 'leaky_relu') a = z.map((v) => (v > 0 ? v : 0.01 * v));
    else if (activation === 'linear') a = z;
    else throw new Error(`the reference forward pass does not know ${activation}`);
  });
  return a;
}

export interface FinishedJob {
  finalSnapshotId: string;
  bestSnapshotId: string;
  periodicSnapshotId: string;
}

/** Runs a queued job "as the worker would": running, 3 epochs of points and events, snapshots, succeeded. */
export async function finishJob(prisma: PrismaClient, jobId: string, model: SavedModel = irisModel()): Promise<FinishedJob> {
  const job = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
  if (!(await transitionJob(prisma, jobId, 'running', { backend: 'js', steps: 30 }))) throw new Error(`job ${jobId} did not start`);
  await event(prisma, jobId, 'status', { status: 'running', error: null, at: new Date().toISOString() });
  const weights = encodeSafetensors(model);
  const snapshot = async (kind: 'periodic' | 'best' | 'final', epoch: number) => {
    const id = newId('snapshot');
    await prisma.snapshot.create({
      data: { id, tenantId: job.tenantId, jobId, kind, epoch, step: epoch * 10, metrics: { loss: 1 / epoch }, sizeBytes: weights.length, weights: Uint8Array.from(weights) },
    });
    return id;
  };
  for (let epoch = 1; epoch <= 3; epoch++) {
    await prisma.metricPoint.create({ data: { jobId, epoch, step: epoch * 10, loss: 1 / epoch, accuracy: 0.5 + epoch / 10 } });
    await prisma.job.update({ where: { id: jobId }, data: { epoch, step: epoch * 10, metrics: { loss: 1 / epoch, accuracy: 0.5 + epoch / 10 } } });
    await event(prisma, jobId, 'progress', { epoch, epochs: 3, step: epoch * 10, steps: 30, fraction: epoch / 3, samplesPerSecond: 1000 });
    await event(prisma, jobId, 'metrics', { epoch, step: epoch * 10, loss: 1 / epoch, accuracy: 0.5 + epoch / 10, at: new Date().toISOString() });
  }
  const periodicSnapshotId = await snapshot('periodic', 2);
  const bestSnapshotId = await snapshot('best', 3);
  const finalSnapshotId = await snapshot('final', 3);
  const moved = await transitionJob(prisma, jobId, 'succeeded', { bestSnapshotId, finalSnapshotId, samplesPerSecond: 1000 });
  if (!moved) throw new Error(`job ${jobId} did not succeed`);
  await event(prisma, jobId, 'status', { status: 'succeeded', error: null, at: new Date().toISOString() });
  return { finalSnapshotId, bestSnapshotId, periodicSnapshotId };
}

export async function event(prisma: PrismaClient, jobId: string, type: string, data: object): Promise<bigint> {
  const row = await prisma.jobEvent.create({ data: { jobId, type, data } });
  return row.id;
}

export const IRIS_JOB = {
  dataset: 'builtin:iris',
  model: { layers: [{ units: 3, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
};

/** An independent safetensors reader: u64 LE header length, JSON header, little-endian data. */
export function readSafetensors(bytes: Buffer) {
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
  const data = bytes.subarray(8 + headerLength);
  const tensor = (name: string) => {
    const { dtype, shape, data_offsets: [begin, end] } = header[name];
    const values: number[] = [];
    for (let offset = begin; offset < end; offset += 4) values.push(data.readFloatLE(offset));
    return { dtype, shape, values };
  };
  return { metadata: header.__metadata__ as Record<string, string>, tensor };
}
