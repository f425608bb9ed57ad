// The jobs this worker process is training right now, so that a cancel request (pub/sub) or a shutdown
// can reach them. A stop asked for before the training thread exists is applied as soon as it starts.
import type { TrainingRun } from './training-run.ts';

/** Why training is asked to stop before its end. */
/** prune: a sweep's ASHA rung stopped it; it ends succeeded with the weights it has. */
export type StopReason = 'cancel' | 'handback' | 'prune';

export class ActiveJob {
  private run: TrainingRun | null = null;
  private reason: StopReason | null = null;

  /** The first reason wins: a job being cancelled is not handed back, and the reverse. */
  stop(reason: StopReason): void {
    if (this.reason !== null) return;
    this.reason = reason;
    this.run?.stop(reason === 'prune');
  }

  get stopReason(): StopReason | null {
    return this.reason;
  }

  attach(run: TrainingRun): void {
    this.run = run;
    if (this.reason !== null) run.stop(this.reason === 'prune');
  }

  async terminate(): Promise<void> {
    await this.run?.terminate();
  }
}

export class ActiveJobs {
  private readonly jobs = new Map<string, ActiveJob>();
  private closing = false;

  /** A job started after shutdown began is handed back straight away. */
  add(jobId: string): ActiveJob {
    const job = new ActiveJob();
    if (this.closing) job.stop('handback');
    this.jobs.set(jobId, job);
    return job;
  }

  /** Whether this process is training the job now. */
  has(jobId: string): boolean {
    return this.jobs.has(jobId);
  }

  delete(jobId: string, job: ActiveJob): void {
    if (this.jobs.get(jobId) === job) this.jobs.delete(jobId);
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    job?.stop('cancel');
    return job !== undefined;
  }

  /** Shutdown: every running job checkpoints at its next step and goes back to the queue. */
  handBackAll(): void {
    this.closing = true;
    for (const job of this.jobs.values()) job.stop('handback');
  }

  async terminateAll(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((job) => job.terminate()));
  }

  get size(): number {
    return this.jobs.size;
  }
}
