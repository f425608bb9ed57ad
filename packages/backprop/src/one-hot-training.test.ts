// Training with one-hot blocks given as codes (Dataset.oneHot) against training on the materialised
// one-hot x: the same weights within GEMM rounding on every backend, and bit-identical resume.
import { describe, expect, it } from 'vitest';
import { resolveTrainingConfig, type TrainingInput } from './config.ts';
import type { Dataset } from './dataset.ts';
import { JsKernel } from './kernels/js-kernel.ts';
import { availableBackends, selectKernel } from './kernels/select.ts';
import { materializeOneHot, type OneHotBlock } from './one-hot.ts';
import type { ModelSpec } from './spec.ts';
import { blobs, makeTrainer, sameWeights } from './testing/trainers.ts';
import { Trainer, type EpochReport } from './trainer.ts';
import { TrainingError } from './errors.ts';

const ROWS = 243; // not a multiple of the batch or of any block
/** Inputs: 2 numbers, a 5-level category, 1 number, a 7-level category (last level: "other"). */
const BLOCKS: OneHotBlock[] = [{ offset: 2, levels: 5 }, { offset: 8, levels: 7 }];
const INPUTS = 15;
const layers: ModelSpec['layers'] = [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }];

/** The same table both ways: codes (with missing ones) that depend on the class, and its materialised x. */
function tables(): { sparse: Dataset; dense: Dataset } {
  const base = blobs(ROWS, 3, 3, 9);
  let state = 77;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296;
  const codes = BLOCKS.map((block) => Int32Array.from({ length: ROWS }, (_, r) => {
    const u = next();
    if (u < 0.08) return -1;
    return u < 0.6 ? (base.y[r] * 2 + r) % block.levels : Math.floor(next() * block.levels);
  }));
  const features = Array.from({ length: INPUTS }, (_, j) => `in${j}`);
  const sparse: Dataset = { ...base, features, oneHot: { blocks: BLOCKS, codes } };
  const dense: Dataset = { ...base, features, x: materializeOneHot(ROWS, INPUTS, base.x, BLOCKS, codes) };
  return { sparse, dense };
}

const scenarios: [string, TrainingInput][] = [
  ['plain sgd (fused on dense inputs)', { epochs: 6, batchSize: 16, normalize: false, optimizer: { type: 'sgd', learningRate: 0.05, weightDecay: 1e-4 } }],
  ['sgd + nesterov momentum', { epochs: 6, batchSize: 20, normalize: false, optimizer: { type: 'sgd', learningRate: 0.03, momentum: 0.9, nesterov: true } }],
  ['adamw + early stopping', { epochs: 30, batchSize: 32, normalize: false, optimizer: { type: 'adam', learningRate: 0.01, weightDecay: 1e-3 }, earlyStopping: { metric: 'valLoss', patience: 2, restoreBest: true } }],
];

function expectCloseWeights(a: ReturnType<Trainer['model']>, b: ReturnType<Trainer['model']>, tolerance: number): void {
  a.layers.forEach((layer, l) => {
    for (const key of ['weight', 'bias'] as const) {
      const x = layer[key];
      const y = b.layers[l][key];
      expect(x.length).toBe(y.length);
      for (let i = 0; i < x.length; i++) {
        if (!(Math.abs(x[i] - y[i]) <= tolerance * Math.max(1, Math.abs(y[i])))) expect.fail(`layer ${l} ${key}[${i}]: ${x[i]} vs ${y[i]}`);
      }
    }
  });
}

describe.each(availableBackends())('one-hot codes train like the materialised input (%s)', (backend) => {
  it.each(scenarios)('%s: same weights and metrics within rounding', async (_name, input) => {
    const { sparse, dense } = tables();
    const a = makeTrainer(sparse, layers, input, { kernel: selectKernel({ backend }) });
    const b = makeTrainer(dense, layers, input, { kernel: selectKernel({ backend }) });
    const ra = await a.run();
    const rb = await b.run();
    expect(ra.steps).toBe(rb.steps);
    expectCloseWeights(a.model(), b.model(), 1e-4);
    expect(ra.metrics!.loss).toBeCloseTo(rb.metrics!.loss, 4);
    // The codes matter: without them (all missing) the block columns' weights stay where they began.
    const none = makeTrainer({ ...sparse, oneHot: { blocks: BLOCKS, codes: BLOCKS.map(() => new Int32Array(ROWS).fill(-1)) } }, layers, input, { kernel: selectKernel({ backend }) });
    await none.run();
    const w = a.model().layers[0].weight;
    const wNone = none.model().layers[0].weight;
    const blockColumn = (i: number) => BLOCKS.some((blk) => i % INPUTS >= blk.offset && i % INPUTS < blk.offset + blk.levels);
    expect(Array.from(w).some((v, i) => blockColumn(i) && v !== wNone[i])).toBe(true);
    // Same layout and input order: the weights predict the materialised rows.
    expect(a.model().layers[0].weight.length).toBe(layers[0].units * INPUTS);
  });
});

function deterministic(reports: EpochReport[]): Omit<EpochReport, 'samplesPerSecond'>[] {
  return reports.map(({ samplesPerSecond: _, ...rest }) => rest);
}

describe.each(scenarios)('one-hot codes: stop and resume is bit-identical: %s', (_name, input) => {
  it.each(['js', 'selected'] as const)('on the %s kernel', async (which) => {
    const kernel = () => (which === 'js' ? new JsKernel() : selectKernel());
    const { sparse } = tables();
    const whole = makeTrainer(sparse, layers, input, { kernel: kernel() });
    const wholeReports: EpochReport[] = [];
    const outcome = await whole.run({ onEpoch: (r) => void wholeReports.push(r) });
    for (const stop of [1, 7, Math.floor(outcome.steps / 2) + 3]) {
      const first = makeTrainer(sparse, layers, input, { kernel: kernel() });
      expect((await first.run({ stopAfterSteps: stop })).status).toBe('paused');
      const resumed = Trainer.restore(first.saveState(), sparse, kernel());
      const reports: EpochReport[] = [];
      const end = await resumed.run({ onEpoch: (r) => void reports.push(r) });
      expect(end.steps).toBe(outcome.steps);
      expect(end.metrics).toEqual(outcome.metrics);
      expect(sameWeights(resumed.model(), whole.model()), `final weights after a stop at ${stop}`).toBe(true);
      expect(deterministic(reports)).toEqual(deterministic(wholeReports.slice(wholeReports.length - reports.length)));
    }
  });
});

describe('one-hot codes with a given normalisation (a preprocessing\'s: blocks left at mean 0, std 1)', () => {
  it.each(availableBackends())('trains like the materialised input on %s', async (backend) => {
    const { sparse, dense } = tables();
    const mean = Array.from({ length: INPUTS }, (_, j) => ([0, 1, 7].includes(j) ? 0.5 * j - 1 : 0));
    const std = Array.from({ length: INPUTS }, (_, j) => ([0, 1, 7].includes(j) ? 1.5 + j / 10 : 1));
    const input: TrainingInput = { epochs: 4, batchSize: 16, normalize: true, optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.5 } };
    const make = (data: Dataset) => {
      const last = layers[layers.length - 1];
      const training = resolveTrainingConfig(input, { task: data.task, outputActivation: last.activation, outputUnits: last.units });
      return new Trainer({ spec: { inputSize: INPUTS, layers }, training, data, kernel: selectKernel({ backend }), normalization: { mean, std } });
    };
    const a = make(sparse);
    const b = make(dense);
    await a.run();
    await b.run();
    expectCloseWeights(a.model(), b.model(), 1e-4);
    expect(a.model().normalization).toEqual(b.model().normalization);
    const bad = { mean: mean.map((m, j) => (j === 3 ? 0.2 : m)), std };
    const last = layers[layers.length - 1];
    const training = resolveTrainingConfig(input, { task: sparse.task, outputActivation: last.activation, outputUnits: last.units });
    expect(() => new Trainer({ spec: { inputSize: INPUTS, layers }, training, data: sparse, normalization: bad })).toThrow(/in3 is given as codes/);
  });
});

describe('one-hot codes: what is refused', () => {
  it('normalisation, codes outside a block, blocks outside the features; a state resumes only on its own form of the data', async () => {
    const { sparse, dense } = tables();
    const input: TrainingInput = { epochs: 1, batchSize: 16, normalize: false };
    expect(() => makeTrainer(sparse, layers, { ...input, normalize: true })).toThrow(TrainingError);
    const badCodes = sparse.oneHot!.codes.map((c) => c.slice());
    badCodes[1][5] = 7;
    expect(() => makeTrainer({ ...sparse, oneHot: { blocks: BLOCKS, codes: badCodes } }, layers, input)).toThrow(/code 7 in oneHot block 1/);
    expect(() => makeTrainer({ ...sparse, oneHot: { blocks: [{ offset: 12, levels: 5 }], codes: [badCodes[0]] } }, layers, input)).toThrow(/must lie inside the features/);
    expect(() => makeTrainer({ ...sparse, x: dense.x }, layers, input)).toThrow(/x holds/);
    const trainer = makeTrainer(sparse, layers, input);
    await trainer.run({ stopAfterSteps: 3 });
    expect(() => Trainer.restore(trainer.saveState(), dense, new JsKernel())).toThrow(TrainingError);
  });
});
