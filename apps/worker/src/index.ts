export { TrainyardWorker, type WorkerDeps } from './trainyard-worker.ts';
