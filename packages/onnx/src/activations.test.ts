// Every activation of the engine as an ONNX operator, on weights drawn large enough to reach negative,
// saturated and tied regions, on iris' columns (a preprocessing of number columns, as built-ins get).
import { loadBuiltin, resolveTrainingConfig, Rng, type Activation, type LayerSpec, type SavedModel } from '@trainyard/backprop';
import { dataOptionsOf, prepareMatrixTraining } from '@trainyard/tabular';
import { afterAll, describe, expect, it } from 'vitest';
import { expectEngineAgreement, largestDifference } from './testing/engine-agreement.ts';
import type { RawRow } from './testing/onnx-feeds.ts';

const iris = loadBuiltin('builtin:iris');
const training = resolveTrainingConfig({}, { task: 'classification', outputActivation: 'softmax' });
const data = prepareMatrixTraining(iris, dataOptionsOf(training, null));
const rows: RawRow[] = Array.from({ length: iris.rows }, (_, r) => Object.fromEntries(iris.features.map((name, f) => [name, iris.x[r * 4 + f]])));

afterAll(() => {
  const { difference, where } = largestDifference();
  console.log(`activations: largest |onnx − predict| / max(1, |predict|) = ${difference.toExponential(3)} (${where})`);
});

/** Seeded weights with standard deviation `scale` (a model of iris' preprocessing and normalisation). */
function model(layers: LayerSpec[], scale: number, seed: number, extra: Partial<SavedModel> = {}): SavedModel {
  const rng = new Rng(seed);
  let inputs = 4;
  const weights = layers.map(({ units }) => {
    const weight = Float32Array.from({ length: units * inputs }, () => rng.gaussian() * scale);
    const bias = Float32Array.from({ length: units }, () => rng.gaussian() * scale);
    inputs = units;
    return { weight, bias };
  });
  return {
    architecture: { inputSize: 4, layers }, layers: weights, normalization: data.normalization, preprocessing: data.preprocessing,
    features: [...iris.features], ...extra,
  };
}

const HIDDEN: Activation[] = ['linear', 'relu', 'leaky_relu', 'sigmoid', 'tanh'];

describe('activations', () => {
  it.each(HIDDEN)('%s as a hidden layer and as the output of a regression', async (activation) => {
    const hidden = model([{ units: 7, activation }, { units: 2, activation }], 1.5, activation.length);
    await expectEngineAgreement(`${activation} hidden and output`, hidden, { rows });
  });

  it('softmax output over every hidden activation at once, with iris classes', async () => {
    const layers: LayerSpec[] = [...HIDDEN.map((activation) => ({ units: 6, activation })), { units: 3, activation: 'softmax' }];
    // Scale 1.5: at 2, six layers amplify float32 rounding until the engine's own backends differ by 6e-6.
    const deep = model(layers, 1.5, 5, { classes: [...iris.classes!] });
    const run = await expectEngineAgreement('every activation, softmax output', deep, { rows });
    expect(new Set(run.labels).size).toBeGreaterThan(1);
  });

  it('leaky relu keeps the engine slope on negative inputs', async () => {
    // One unit per input, weight −1: every standardised value above the mean comes out negative, times 0.01.
    const negative = model([{ units: 4, activation: 'leaky_relu' }], 0, 1);
    negative.layers[0].weight = Float32Array.of(-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1);
    const run = await expectEngineAgreement('leaky relu slope', negative, { rows });
    expect(Math.min(...run.outputs)).toBeLessThan(0);
    expect(Math.min(...run.outputs)).toBeGreaterThan(-0.05);
  });

  it('ties: an all-zero softmax picks the first class, one sigmoid unit at exactly 0.5 picks the second', async () => {
    const flat = model([{ units: 3, activation: 'softmax' }], 0, 1, { classes: ['setosa', 'versicolor', 'virginica'] });
    const tied = await expectEngineAgreement('softmax tie', flat, { rows: rows.slice(0, 5) });
    expect(tied.labels).toEqual(Array(5).fill('setosa'));
    const half = model([{ units: 1, activation: 'sigmoid' }], 0, 1, { classes: ['no', 'yes'] });
    const threshold = await expectEngineAgreement('sigmoid at 0.5', half, { rows: rows.slice(0, 5) });
    expect(Array.from(threshold.outputs)).toEqual(Array(5).fill(0.5));
    expect(threshold.labels).toEqual(Array(5).fill('yes'));
  });
});
