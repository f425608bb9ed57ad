import { resolveTrainingConfig, selectKernel, Trainer, type Backend, type Dataset } from '@trainyard/backprop';
import { layerShapes, type Workload } from './workloads.ts';

const STEPS_PER_EPOCH = 16;
const MEASURE_SECONDS = 1.5;

function syntheticData(workload: Workload): Dataset {
  const rows = workload.batchSize * STEPS_PER_EPOCH;
  const features = workload.spec.inputSize;
  const classes = workload.spec.layers[workload.spec.layers.length - 1].units;
  let seed = 12345;
  const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
  return {
    task: 'classification', rows, target: 'label',
    features: Array.from({ length: features }, (_, i) => `f${i}`),
    classes: Array.from({ length: classes }, (_, i) => String(i)),
    x: Float32Array.from({ length: rows * features }, random),
    y: Float32Array.from({ length: rows }, () => Math.floor(random() * classes)),
  };
}

/** Training samples per second of the real Trainer (SGD, no validation), measured after a warm-up. */
export async function engineSamplesPerSecond(workload: Workload, backend: Backend, threads: number): Promise<number> {
  const data = syntheticData(workload);
  const training = resolveTrainingConfig(
    { epochs: 1_000_000, batchSize: workload.batchSize, validationSplit: 0, normalize: false, shuffle: true, optimizer: { type: 'sgd', learningRate: 0.01 } },
    { task: 'classification', outputActivation: 'softmax' },
  );
  const trainer = new Trainer({ spec: workload.spec, training, data, kernel: selectKernel({ backend, threads }) });
  const warmup = 3;
  let t0 = performance.now();
  await trainer.run({ stopAfterSteps: warmup });
  const perStep = Math.max(1e-6, (performance.now() - t0) / 1000 / warmup);
  const steps = Math.max(5, Math.ceil(MEASURE_SECONDS / perStep));
  t0 = performance.now();
  await trainer.run({ stopAfterSteps: warmup + steps });
  const seconds = (performance.now() - t0) / 1000;
  return (steps * workload.batchSize) / seconds;
}

/** GEMM GFLOP/s over the forward (NT), weight-gradient (TN) and back-propagation (NN) products of one step. */
export function gemmGflops(workload: Workload, backend: Backend, threads: number): number {
  const kernel = selectKernel({ backend, threads });
  const K = workload.batchSize;
  const products = layerShapes(workload).flatMap(([n, m]) => [
    { tA: false, tB: true, rows: K, cols: m, inner: n },
    { tA: true, tB: false, rows: m, cols: n, inner: K },
    { tA: false, tB: false, rows: K, cols: n, inner: m },
  ]);
  const buffers = products.map((p) => ({
    a: kernel.alloc(p.rows * p.inner).fill(0.5),
    b: kernel.alloc(p.inner * p.cols).fill(0.25),
    c: kernel.alloc(p.rows * p.cols),
  }));
  const flopsPerRound = products.reduce((sum, p) => sum + 2 * p.rows * p.cols * p.inner, 0);
  const round = () => products.forEach((p, i) => kernel.gemm(p.tA, p.tB, p.rows, p.cols, p.inner, 1, buffers[i].a, buffers[i].b, 0, buffers[i].c));
  round();
  let rounds = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 1000 * MEASURE_SECONDS * 0.6) {
    round();
    rounds++;
  }
  return (rounds * flopsPerRound) / ((performance.now() - t0) / 1000) / 1e9;
}
