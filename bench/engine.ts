import { resolveTrainingConfig, selectKernel, Trainer, type Backend, type Dataset } from '@trainyard/backprop';
import { bestRate } from './measure.ts';
import { layerShapes, type Workload } from './workloads.ts';

const STEPS_PER_EPOCH = 16;

function syntheticData(workload: Workload): Dataset {
  const rows = workload.batchSize * STEPS_PER_EPOCH;
  const features = workload.spec.inputSize;
  const classes = workload.spec.layers[workload.spec.layers.length - 1].units;
  let seed = 12345;
  const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
  return {
    task: 'classification', rows, target: 'label',
    features: Array.from({ length: features }, (_, i) => `f${i}`),
    classes: Array.from({ length: classes }, (_, i) => String(i)),
    x: Float32Array.from({ length: rows * features }, random),
    y: Float32Array.from({ length: rows }, () => Math.floor(random() * classes)),
  };
}

/** The real Trainer on the workload (SGD, shuffled minibatches, no validation). */
export function benchTrainer(workload: Workload, backend: Backend, threads: number): Trainer {
  const training = resolveTrainingConfig(
    { epochs: 1_000_000, batchSize: workload.batchSize, validationSplit: 0, normalize: false, shuffle: true, optimizer: { type: 'sgd', learningRate: 0.01 } },
    { task: 'classification', outputActivation: 'softmax' },
  );
  return new Trainer({ spec: workload.spec, training, data: syntheticData(workload), kernel: selectKernel({ backend, threads }) });
}

/** Training samples per second of the real Trainer. */
export async function engineSamplesPerSecond(workload: Workload, backend: Backend, threads: number): Promise<number> {
  const trainer = benchTrainer(workload, backend, threads);
  return bestRate(workload.batchSize, async (steps) => {
    await trainer.run({ stopAfterSteps: trainer.step + steps });
  });
}

/** GEMM GFLOP/s over the products of one step: forward (NT), weight gradient (TN), back-propagation (NN). */
export async function gemmGflops(workload: Workload, backend: Backend, threads: number): Promise<number> {
  const kernel = selectKernel({ backend, threads });
  const K = workload.batchSize;
  const products = layerShapes(workload).flatMap(([inputs, units], l) => [
    { tA: false, tB: true, rows: K, cols: units, inner: inputs },
    { tA: true, tB: false, rows: units, cols: inputs, inner: K },
    ...(l > 0 ? [{ tA: false, tB: false, rows: K, cols: inputs, inner: units }] : []),
  ]);
  const buffers = products.map((p) => ({
    a: kernel.alloc(p.rows * p.inner).fill(0.5),
    b: kernel.alloc(p.inner * p.cols).fill(0.25),
    c: kernel.alloc(p.rows * p.cols),
  }));
  const flopsPerStep = products.reduce((sum, p) => sum + 2 * p.rows * p.cols * p.inner, 0);
  const rate = await bestRate(flopsPerStep, (steps) => {
    for (let s = 0; s < steps; s++) products.forEach((p, i) => kernel.gemm(p.tA, p.tB, p.rows, p.cols, p.inner, 1, buffers[i].a, buffers[i].b, 0, buffers[i].c));
  });
  return rate / 1e9;
}
