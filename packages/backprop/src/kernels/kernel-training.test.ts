// Whole training runs on every fast kernel: they must follow the js reference's trajectory, converge,
// and stop/resume bit-identically within themselves (what crash recovery needs from a kernel).
import { describe, expect, it } from 'vitest';
import type { TrainingInput } from '../config.ts';
import { loadBuiltin } from '../data/builtins.ts';
import type { SavedModel } from '../saved-model.ts';
import type { ModelSpec } from '../spec.ts';
import { blobs, makeTrainer, sameWeights } from '../testing/trainers.ts';
import { Trainer } from '../trainer.ts';
import { JsKernel } from './js-kernel.ts';
import { availableBackends, selectKernel, type Backend } from './select.ts';
import { WasmKernel } from './wasm-kernel.ts';

// After 42 steps of AdamW the float32 rounding differences between kernels (a few ulp per op) have
// grown to ~1e-5 here: every weight must stay within TRAJECTORY_TOLERANCE of the reference's
// (relative to max(1, |w|)), and the epoch losses within LOSS_TOLERANCE relative.
const TRAJECTORY_TOLERANCE = 1e-4;
const LOSS_TOLERANCE = 1e-3;
const fastBackends = availableBackends().filter((b) => b !== 'js');

// Layers big enough that native calls OpenBLAS (96·128·48 > 48³ multiply-adds) beside its small-GEMM path.
const data = blobs(768, 48, 4, 7);
const layers: ModelSpec['layers'] = [{ units: 128, activation: 'relu' }, { units: 96, activation: 'tanh' }, { units: 4, activation: 'softmax' }];
const input: TrainingInput = { epochs: 6, batchSize: 96, validationSplit: 0.2, optimizer: { type: 'adam', learningRate: 0.01, weightDecay: 1e-4 }, seed: 3 };

function worstDifference(a: SavedModel, b: SavedModel): number {
  let worst = 0;
  a.layers.forEach((layer, i) => {
    for (const [x, y] of [[layer.weight, b.layers[i].weight], [layer.bias, b.layers[i].bias]]) {
      for (let j = 0; j < x.length; j++) worst = Math.max(worst, Math.abs(x[j] - y[j]) / Math.max(1, Math.abs(y[j])));
    }
  });
  return worst;
}

describe('reference trajectory', () => {
  it('is what the fast kernels are compared with', async () => {
    const trainer = makeTrainer(data, layers, input, { kernel: new JsKernel() });
    const outcome = await trainer.run();
    expect(outcome.metrics!.valAccuracy).toBeGreaterThan(0.9);
  });
});

describe.each(fastBackends)('%s kernel training', (backend: Backend) => {
  it('follows the js reference through a whole run', async () => {
    const reference = makeTrainer(data, layers, input, { kernel: new JsKernel() });
    const fast = makeTrainer(data, layers, input, { kernel: selectKernel({ backend }) });
    const [expected, actual] = [await reference.run(), await fast.run()];
    expect(fast.backend).toBe(backend);
    expect(actual.steps).toBe(expected.steps);
    expect(worstDifference(fast.model(), reference.model())).toBeLessThanOrEqual(TRAJECTORY_TOLERANCE);
    for (const metric of ['loss', 'valLoss'] as const) {
      const [a, e] = [actual.metrics![metric]!, expected.metrics![metric]!];
      expect(Math.abs(a - e) / e, metric).toBeLessThanOrEqual(LOSS_TOLERANCE);
    }
    expect(actual.metrics!.valAccuracy).toBe(expected.metrics!.valAccuracy);
  });

  it('learns xor to 100% accuracy', async () => {
    const xor = loadBuiltin('xor');
    const trainer = makeTrainer(xor, [{ units: 8, activation: 'tanh' }, { units: 2, activation: 'softmax' }], {
      epochs: 300, batchSize: 4, validationSplit: 0, optimizer: { type: 'adam', learningRate: 0.05 }, seed: 1,
    }, { kernel: selectKernel({ backend }) });
    const outcome = await trainer.run();
    expect(outcome.metrics!.accuracy).toBe(1);
  });

  it.each([1, 2])('stops and resumes bit-identically (%i threads)', async (threads) => {
    const sgd: TrainingInput = { ...input, optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-4 } };
    for (const config of [input, sgd]) {
      const whole = makeTrainer(data, layers, config, { kernel: selectKernel({ backend, threads }) });
      await whole.run();
      const first = makeTrainer(data, layers, config, { kernel: selectKernel({ backend, threads }) });
      await first.run({ stopAfterSteps: 13 });
      const resumed = Trainer.restore(first.saveState(), data, selectKernel({ backend, threads }));
      await resumed.run();
      expect(sameWeights(resumed.model(), whole.model())).toBe(true);
      const again = makeTrainer(data, layers, config, { kernel: selectKernel({ backend, threads }) });
      await again.run();
      expect(sameWeights(again.model(), whole.model()), 'run to run').toBe(true);
    }
  });
});

// Wide enough (128·256·256 multiply-adds) that both fast kernels split products between threads.
const big = blobs(512, 256, 4, 11);
const wide: ModelSpec['layers'] = [{ units: 256, activation: 'relu' }, { units: 4, activation: 'softmax' }];
const wideConfig: TrainingInput = { epochs: 2, batchSize: 128, validationSplit: 0, optimizer: { type: 'sgd', learningRate: 0.02, momentum: 0.9 } };

async function threadedKernel(backend: Backend) {
  const kernel = selectKernel({ backend, threads: 2 });
  if (kernel instanceof WasmKernel) expect(await kernel.threadsReady()).toBe(true);
  return kernel;
}

describe.each(fastBackends)('%s kernel with products split between 2 threads', (backend: Backend) => {
  it('stops and resumes bit-identically', async () => {
    const whole = makeTrainer(big, wide, wideConfig, { kernel: await threadedKernel(backend) });
    await whole.run();
    const first = makeTrainer(big, wide, wideConfig, { kernel: await threadedKernel(backend) });
    await first.run({ stopAfterSteps: 5 });
    const resumed = Trainer.restore(first.saveState(), big, await threadedKernel(backend));
    await resumed.run();
    expect(sameWeights(resumed.model(), whole.model())).toBe(true);
  });
});

describe.runIf(fastBackends.includes('wasm'))('wasm helper threads', () => {
  it('give results bit-identical to one thread (products are split without changing any sum)', async () => {
    const threaded = makeTrainer(big, wide, wideConfig, { kernel: await threadedKernel('wasm') });
    const single = makeTrainer(big, wide, wideConfig, { kernel: selectKernel({ backend: 'wasm', threads: 1 }) });
    await threaded.run();
    await single.run();
    expect(sameWeights(threaded.model(), single.model())).toBe(true);
  });
});
