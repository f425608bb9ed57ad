// The main-thread handle of one training thread: its messages as an async stream (handled one at a time,
// in order), a stop request, and a hard terminate for when time runs out.
import { Worker } from 'node:worker_threads';
import type { FromThread, ThreadDataset, ThreadInput, ToThread } from './thread-protocol.ts';
import { standalone, transferList } from './transfer.ts';

const THREAD_ENTRY = new URL('./training-thread-entry.mjs', import.meta.url);

export class TrainingRun {
  private readonly thread: Worker;
  private readonly inbox: FromThread[] = [];
  private wake: (() => void) | null = null;
  private pause: { timer: NodeJS.Timeout; resolve: () => void } | null = null;
  private ended = false;
  private exited: Promise<void>;
  private stopped = false;
  /** True once terminate() was called: an end without `done` is then ours, not the job's fault. */
  terminated = false;

  constructor(input: ThreadInput) {
    const initialWeights = input.initialWeights && standalone(input.initialWeights);
    const resumeState = input.resumeState && standalone(input.resumeState);
    const dataset = ownBuffers(input.dataset);
    const workerData: ThreadInput = { ...input, initialWeights, resumeState, dataset };
    const transfer = transferList(initialWeights, resumeState, ...datasetBuffers(dataset));
    this.thread = new Worker(THREAD_ENTRY, { workerData, transferList: transfer });
    this.thread.on('message', (message: FromThread) => this.push(message));
    this.thread.on('error', (error) => this.push({ type: 'failed', code: 'internal', message: `training thread crashed: ${error.message}` }));
    this.exited = new Promise((resolve) => {
      this.thread.once('exit', (code) => {
        this.push({ type: 'failed', code: 'internal', message: `training thread exited (code ${code}) before finishing` });
        this.ended = true;
        this.wake?.();
        resolve();
      });
    });
  }

  /**
   * The thread stops at its next step boundary and reports `done` with a resumable state (and, with
   * `keepModel`, the model it has as `final`). Idempotent.
   */
  stop(keepModel = false): void {
    if (this.stopped) return;
    this.stopped = true;
    const message: ToThread = { type: 'stop', keepModel };
    this.thread.postMessage(message);
  }

  /** Tells the thread `count` recorded messages (epoch, checkpoint, step metrics) are written. */
  acknowledge(count = 1): void {
    if (this.ended || count === 0) return;
    const message: ToThread = { type: 'ack', count };
    this.thread.postMessage(message);
  }

  /** Every message up to and including the final `done` or `failed`. */
  async *messages(): AsyncGenerator<FromThread> {
    for (;;) {
      const message = this.inbox.shift();
      if (message) {
        yield message;
        if (message.type === 'done' || message.type === 'failed') return;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }

  /** Waits `ms`, or less if the thread ends meanwhile (its `done` or `failed` arrives, or it exits). */
  pauseFor(ms: number): Promise<void> {
    if (ms <= 0 || this.ended || this.inbox.some((m) => m.type === 'done' || m.type === 'failed')) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.resume(), ms);
      this.pause = { timer, resolve };
    });
  }

  private resume(): void {
    if (!this.pause) return;
    clearTimeout(this.pause.timer);
    this.pause.resolve();
    this.pause = null;
  }

  /** Removes and returns the messages already received that match `accept`, up to the first that does not. */
  takeQueued<T extends FromThread>(accept: (message: FromThread) => message is T): T[] {
    let n = 0;
    while (n < this.inbox.length && accept(this.inbox[n])) n++;
    return this.inbox.splice(0, n) as T[];
  }

  /** Ends the thread now (no checkpoint). Idempotent. */
  async terminate(): Promise<void> {
    this.terminated = true;
    await this.thread.terminate().catch(() => {});
    await this.exited;
  }

  private push(message: FromThread): void {
    if (this.ended) return;
    this.inbox.push(message);
    this.wake?.();
    if (message.type === 'done' || message.type === 'failed') this.resume();
  }
}

/** The dataset with its byte arrays in buffers of their own, to transfer (not copy) to the thread. */
function ownBuffers(dataset: ThreadDataset): ThreadDataset {
  if (dataset.kind === 'stored') return { ...dataset, x: standalone(dataset.x), y: standalone(dataset.y) };
  if (dataset.kind === 'columns') return { ...dataset, columns: dataset.columns.map((column) => ({ ...column, data: standalone(column.data) })) };
  return dataset;
}

function datasetBuffers(dataset: ThreadDataset): Uint8Array[] {
  if (dataset.kind === 'stored') return [dataset.x, dataset.y];
  if (dataset.kind === 'columns') return dataset.columns.map((column) => column.data);
  return [];
}
