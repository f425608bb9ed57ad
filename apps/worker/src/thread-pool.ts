// Warm training threads: each has loaded tsx, the engine and its kernels once, so a job's fixed cost is a
// message, not a thread start (~0.5 s with tsx). A thread is lent to one TrainingRun at a time and comes back
// when its job has ended with `done` or `failed`; one that crashed, was terminated or is in doubt is replaced.
import { Worker } from 'node:worker_threads';

export const THREAD_ENTRY = new URL('./training-thread-entry.mjs', import.meta.url);

export class ThreadPool {
  private readonly idle: Worker[] = [];
  private closed = false;

  /** `size`: threads kept warm (the worker's concurrency). */
  constructor(private readonly size: number) {}

  /** Starts the warm threads now, so that the first jobs do not wait for them. */
  warm(): void {
    while (!this.closed && this.idle.length < this.size) this.idle.push(idle(new Worker(THREAD_ENTRY)));
  }

  /** An idle warm thread, or a new one. */
  acquire(): Worker {
    const thread = this.idle.pop() ?? new Worker(THREAD_ENTRY);
    thread.ref();
    return thread;
  }

  /** A thread whose job ended cleanly goes back to the pool (or away, past its size or once closed). */
  release(thread: Worker): void {
    if (this.closed || this.idle.length >= this.size) {
      void thread.terminate();
      return;
    }
    this.idle.push(idle(thread));
  }

  /** Terminates the idle threads; lent ones end with their runs. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.idle.splice(0).map((thread) => thread.terminate().catch(() => 0)));
  }

  get idleCount(): number {
    return this.idle.length;
  }
}

/** An idle thread must not keep the process alive, nor crash it when it fails on its own. */
function idle(thread: Worker): Worker {
  thread.removeAllListeners();
  thread.on('error', () => undefined);
  thread.unref();
  return thread;
}
