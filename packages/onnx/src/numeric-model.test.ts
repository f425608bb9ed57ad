// Models without a preprocessing (trained by the engine on a matrix, or uploaded): one float input per
// feature name, or one [N, inputSize] `input` when the weights name no features.
import { decodeSafetensors, encodeSafetensors, loadBuiltin, resolveTrainingConfig, Trainer, type SavedModel } from '@trainyard/backprop';
import { InferenceSession } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MATRIX_INPUT } from './encoded-inputs.ts';
import { exportOnnx } from './export-onnx.ts';
import { expectEngineAgreement, largestDifference } from './testing/engine-agreement.ts';

const iris = loadBuiltin('builtin:iris');
let trained: SavedModel;

async function trainIris(normalize: boolean): Promise<SavedModel> {
  const training = resolveTrainingConfig({ epochs: 30, seed: 4, normalize }, { task: 'classification', outputActivation: 'softmax' });
  const spec = { inputSize: 4, layers: [{ units: 8, activation: 'relu' as const }, { units: 3, activation: 'softmax' as const }] };
  const trainer = new Trainer({ spec, training, data: iris });
  await trainer.run();
  return decodeSafetensors(encodeSafetensors(trainer.model()));
}

beforeAll(async () => {
  trained = await trainIris(true);
});

afterAll(() => {
  const { difference, where } = largestDifference();
  console.log(`numeric models: largest |onnx − predict| / max(1, |predict|) = ${difference.toExponential(3)} (${where})`);
});

async function inputNames(model: SavedModel): Promise<readonly string[]> {
  const session = await InferenceSession.create(exportOnnx(model));
  const names = session.inputNames;
  await session.release();
  return names;
}

describe('all-numeric models without a preprocessing', () => {
  it('builtin:iris trained on the matrix: one float input per feature, normalisation inside the graph', async () => {
    expect(trained.preprocessing).toBeUndefined();
    expect(trained.normalization).not.toBeNull();
    expect(await inputNames(trained)).toEqual(iris.features);
    const run = await expectEngineAgreement('iris matrix', trained, { x: iris.x, rows: iris.rows });
    const accuracy = run.labels!.filter((label, r) => label === iris.classes![iris.y[r]]).length / iris.rows;
    expect(accuracy).toBeGreaterThan(0.8);
  });

  it('weights without feature names: one [N, inputSize] input named "input"', async () => {
    const anonymous: SavedModel = { ...trained, features: undefined };
    expect(await inputNames(anonymous)).toEqual([MATRIX_INPUT]);
    await expectEngineAgreement('iris, no feature names', anonymous, { x: iris.x, rows: iris.rows });
  });

  it('trained with normalize false: raw inputs straight into the first layer', async () => {
    const raw = await trainIris(false);
    expect(raw.normalization).toBeNull();
    await expectEngineAgreement('iris without normalize', raw, { x: iris.x, rows: iris.rows });
  });
});
