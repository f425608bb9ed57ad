// TensorFlow.js peer for the benchmark, run in its own process:
//   node --import tsx bench/tfjs-peer.ts <cpu|wasm> '<workload json>' <threads>  → prints samples/s
// Each step does what the engine's Trainer does: a minibatch of a data set reshuffled every epoch, the
// same MLP, softmax cross-entropy and SGD, through tf.train.sgd().minimize (the lean path; model.fit
// adds callbacks and async overhead per batch).
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { bestRate } from './measure.ts';
import type { Workload } from './workloads.ts';

const STEPS_PER_EPOCH = 16; // as bench/engine.ts

async function useBackend(backend: string, threads: number): Promise<void> {
  if (backend === 'wasm') {
    const dist = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    setWasmPaths(`${dist}/`);
    // Emscripten's pthreads need Web Workers, which Node lacks: TF.js-wasm runs single-threaded here.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setThreadsCount(threads);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`TensorFlow.js backend ${backend} failed to start`);
  await tf.ready();
}

async function samplesPerSecond(workload: Workload): Promise<number> {
  const sizes = [workload.spec.inputSize, ...workload.spec.layers.map((l) => l.units)];
  const batch = workload.batchSize;
  const weights = sizes.slice(1).map((units, l) => tf.variable(tf.randomNormal([sizes[l], units], 0, Math.sqrt(2 / sizes[l]))));
  const biases = sizes.slice(1).map((units) => tf.variable(tf.zeros([units])));
  const rows = batch * STEPS_PER_EPOCH;
  const x = tf.randomUniform([rows, sizes[0]]);
  const y = tf.oneHot(tf.randomUniform([rows], 0, sizes[sizes.length - 1], 'int32') as tf.Tensor1D, sizes[sizes.length - 1]);
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  const optimizer = tf.train.sgd(0.01);
  let stepCount = 0;
  const step = () => {
    const s = stepCount++ % STEPS_PER_EPOCH;
    if (s === 0) tf.util.shuffle(order);
    const rowsNow = tf.tensor1d(order.subarray(s * batch, (s + 1) * batch), 'int32');
    const [xb, yb] = [tf.gather(x, rowsNow), tf.gather(y, rowsNow)];
    optimizer.minimize(() => {
      let a: tf.Tensor2D = xb as tf.Tensor2D;
      weights.forEach((w, l) => {
        const z = tf.add(tf.matMul(a, w), biases[l]) as tf.Tensor2D;
        a = l < weights.length - 1 ? tf.relu(z) : z;
      });
      return tf.losses.softmaxCrossEntropy(yb, a) as tf.Scalar;
    }, false);
    tf.dispose([rowsNow, xb, yb]);
  };
  return bestRate(batch, (steps) => {
    for (let i = 0; i < steps; i++) step();
    // minimize runs synchronously on cpu and wasm; dataSync makes sure every queued op has finished.
    weights[0].dataSync();
  });
}

const [backend, workloadJson, threads] = process.argv.slice(2);
await useBackend(backend, Number(threads ?? 1));
console.log(await samplesPerSecond(JSON.parse(workloadJson) as Workload));
