// The main-thread handle of one job's training thread: its messages as an async stream (handled one at a
// time, in order), a stop request, and a hard terminate for when time runs out. The thread is a warm one lent
// by a ThreadPool (given back when the job has ended cleanly), or without a pool one started for this job.
import { Worker } from 'node:worker_threads';
import { THREAD_ENTRY, type ThreadPool } from './thread-pool.ts';
import type { FromThread, ThreadDataset, ThreadInput, ToThread } from './thread-protocol.ts';
import { standalone, transferList } from './transfer.ts';

type Done = Extract<FromThread, { type: 'done' }>;

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

  /** The thread died (error or exit): it cannot go back to a pool. */
  private dead = false;
  /** The job's `done` or `failed` arrived from the thread itself: a pooled thread is idle again. */
  private finished = false;

  /** A sweep trial's rungs: the thread waits there for its epoch to be written, so no write waits for them. */
  private readonly rungs: ReadonlySet<number>;

  constructor(input: ThreadInput, private readonly pool: ThreadPool | null = null) {
    this.rungs = new Set(input.rungs ?? []);
    const initialWeights = input.initialWeights && standalone(input.initialWeights);
    const resumeState = input.resumeState && standalone(input.resumeState);
    const dataset = ownBuffers(input.dataset);
    const job: ThreadInput = { ...input, initialWeights, resumeState, dataset };
    const transfer = transferList(initialWeights, resumeState, ...datasetBuffers(dataset));
    if (pool) {
      this.thread = pool.acquire();
      const message: ToThread = { type: 'train', input: job };
      this.thread.postMessage(message, transfer);
    } else {
      this.thread = new Worker(THREAD_ENTRY, { workerData: job, transferList: transfer });
    }
    this.thread.on('message', (message: FromThread) => {
      if (message.type === 'ready') return;
      if (message.type === 'done' || message.type === 'failed') this.finished = !this.ended;
      this.push(message);
    });
    this.thread.on('error', (error) => {
      this.dead = true;
      this.push({ type: 'failed', code: 'internal', message: `training thread crashed: ${error.message}` });
    });
    this.exited = new Promise((resolve) => {
      this.thread.once('exit', (code) => {
        this.dead = true;
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

  /** Waits `ms`, or less if the thread ends meanwhile (its `done` or `failed` arrives, or it exits) or waits at a rung. */
  pauseFor(ms: number): Promise<void> {
    const urgent = (m: FromThread) => m.type === 'done' || m.type === 'failed' || (m.type === 'epoch' && this.rungs.has(m.report.epoch));
    if (ms <= 0 || this.ended || this.inbox.some(urgent)) return Promise.resolve();
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

  /**
   * When the thread has already finished — the inbox holds only messages `accept` takes, then a `done` that
   * `acceptDone` takes — removes and returns them (they can all be written at once); otherwise null.
   */
  takeThroughDone<T extends FromThread>(
    accept: (message: FromThread) => message is T, acceptDone: (done: Done) => boolean,
  ): { before: T[]; done: Done } | null {
    const last = this.inbox.at(-1);
    if (last?.type !== 'done' || !acceptDone(last) || !this.inbox.slice(0, -1).every(accept)) return null;
    const taken = this.inbox.splice(0);
    return { before: taken.slice(0, -1) as T[], done: last };
  }

  /**
   * After the job: a pooled thread whose job ended cleanly goes back to its pool; any other thread is ended
   * now (no checkpoint) — a job stopped midway, or the shutdown's hard stop. Idempotent.
   */
  async terminate(): Promise<void> {
    if (this.pool && this.finished && !this.dead && !this.terminated) {
      this.terminated = true;
      this.ended = true;
      this.thread.removeAllListeners();
      this.pool.release(this.thread);
      return;
    }
    this.terminated = true;
    await this.thread.terminate().catch(() => {});
    await this.exited;
  }

  private push(message: FromThread): void {
    if (this.ended) return;
    this.inbox.push(message);
    this.wake?.();
    if (message.type === 'done' || message.type === 'failed' || (message.type === 'epoch' && this.rungs.has(message.report.epoch))) this.resume();
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
