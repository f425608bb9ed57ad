// One engine training job in its own process, for the worker-layout table of bench/train.ts:
//   node --import tsx bench/engine-job.ts <workload name> <backend> <threads> <seconds>
// warms up, prints "ready", waits for a line on stdin (so that concurrent jobs start together), then
// trains for <seconds> and prints its samples/s.
import { createInterface } from 'node:readline';
import type { Backend } from '@trainyard/backprop';
import { benchTrainer } from './engine.ts';
import { WORKLOADS } from './workloads.ts';

const [name, backend, threads, seconds] = process.argv.slice(2);
const workload = WORKLOADS.find((w) => w.name === name);
if (!workload) throw new Error(`unknown workload ${name}`);
const trainer = benchTrainer(workload, backend as Backend, Number(threads));
const warmUpUntil = performance.now() + 1000;
while (performance.now() < warmUpUntil) await trainer.run({ stopAfterSteps: trainer.step + 1 });

console.log('ready');
const lines = createInterface({ input: process.stdin });
await new Promise((resolve) => lines.once('line', resolve));
lines.close();
const started = performance.now();
const until = started + Number(seconds) * 1000;
const firstStep = trainer.step;
while (performance.now() < until) await trainer.run({ stopAfterSteps: trainer.step + 1 });
console.log(((trainer.step - firstStep) * workload.batchSize) / ((performance.now() - started) / 1000));
