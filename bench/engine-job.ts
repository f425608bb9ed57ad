// One engine training job in its own process, for the concurrency table of bench/train.ts:
//   node --import tsx bench/engine-job.ts <workload name> <backend> <threads>  → prints samples/s
import type { Backend } from '@trainyard/backprop';
import { engineSamplesPerSecond } from './engine.ts';
import { WORKLOADS } from './workloads.ts';

const [name, backend, threads] = process.argv.slice(2);
const workload = WORKLOADS.find((w) => w.name === name);
if (!workload) throw new Error(`unknown workload ${name}`);
console.log(await engineSamplesPerSecond(workload, backend as Backend, Number(threads)));
