// Every write a running job makes to PostgreSQL. Each write is one transaction that first re-checks the
// claim (status running AND attempts = our lease, which also locks the row): if another worker resumed the
// job meanwhile, nothing is written and LeaseLostError tells the caller to stop.
import { transitionJob, type Prisma, type PrismaClient } from '@trainyard/db';
import { LeaseLostError, type JobErrorCode } from './job-failure.ts';
import { EventBatch, metricsJson, now, type Announcer, type MetricsJson } from './job-events.ts';
import { createSnapshot, dropSnapshotsAfter, prunePeriodicSnapshots, replaceBestSnapshot } from './snapshots.ts';
import type { FromThread } from './thread-protocol.ts';

type Message<T extends FromThread['type']> = Extract<FromThread, { type: T }>;
type Tx = Prisma.TransactionClient;
const asBytes = (bytes: Uint8Array) => bytes as Uint8Array<ArrayBuffer>;

/** Interactive transactions carry snapshot blobs: give them room on a busy machine. */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 60_000 };

export interface JobWriterOptions extends Announcer {
  prisma: PrismaClient;
  jobId: string;
  tenantId: string;
  /** Job.attempts after this worker claimed the job. */
  lease: number;
  epochs: number;
  snapshots: { everyEpochs: number; keep: number };
}

export class JobWriter {
  private steps = 0;

  constructor(private readonly options: JobWriterOptions) {}

  /** Training began (or resumed): drop what the re-run epochs will write again, announce `running`. */
  async started(message: Message<'started'>): Promise<void> {
    this.steps = message.totalSteps;
    const { jobId } = this.options;
    const resumeStep = message.resumedFromStep ?? 0;
    await this.write({ backend: message.backend, steps: message.totalSteps, epoch: message.epoch, step: message.step }, async (tx, events) => {
      await tx.metricPoint.deleteMany({ where: { jobId, step: { gt: resumeStep } } });
      await dropSnapshotsAfter(tx, jobId, resumeStep);
      const best = await tx.snapshot.findFirst({ where: { jobId, kind: 'best' }, select: { id: true } });
      await tx.job.update({ where: { id: jobId }, data: { bestSnapshotId: best?.id ?? null } });
      if (message.resumedFromStep === null) await tx.checkpoint.deleteMany({ where: { jobId } });
      await events.status('running', null);
    });
  }

  async progress(message: Message<'progress'>): Promise<void> {
    const { epoch, step, samplesPerSecond } = message;
    await this.write({ epoch, step, samplesPerSecond }, async (_tx, events) => {
      await events.add('progress', this.progressData(epoch, step, samplesPerSecond));
    });
  }

  async stepMetrics(message: Message<'stepMetrics'>): Promise<void> {
    const { epoch, step, loss } = message;
    await this.write({}, async (tx, events) => {
      await this.upsertPoint(tx, epoch, step, { loss });
      await events.add('metrics', { epoch, step, loss, at: now() });
    });
  }

  async checkpoint(message: Message<'checkpoint'>): Promise<void> {
    await this.write({}, (tx) => this.saveCheckpoint(tx, message.epoch, message.step, message.state));
  }

  /** An epoch ended. Returns whether a cancel was requested meanwhile (the fallback to pub/sub). */
  async epoch(message: Message<'epoch'>): Promise<{ cancelRequested: boolean }> {
    const { report, state, best, periodic } = message;
    const { epoch, step, samplesPerSecond } = report;
    const metrics = metricsJson(report);
    const { jobId, tenantId, snapshots } = this.options;
    return this.write({ epoch, step, samplesPerSecond, metrics }, async (tx, events) => {
      await this.upsertPoint(tx, epoch, step, metrics);
      await this.saveCheckpoint(tx, epoch, step, state);
      await events.add('progress', this.progressData(epoch, step, samplesPerSecond));
      await events.add('metrics', { epoch, step, ...metrics, at: now() });
      if (periodic) {
        await events.add('snapshot', await createSnapshot(tx, { tenantId, jobId, kind: 'periodic', epoch, step, metrics, weights: periodic, state }));
        await prunePeriodicSnapshots(tx, jobId, snapshots.keep);
      }
      if (best) {
        await events.add('snapshot', await replaceBestSnapshot(tx, { tenantId, jobId, epoch, step, metrics, weights: best }));
      }
      const row = await tx.job.findUniqueOrThrow({ where: { id: jobId }, select: { cancelRequested: true } });
      return { cancelRequested: row.cancelRequested };
    });
  }

  /** Training reached its end (all epochs, or early stopping): the final snapshot and `succeeded`. */
  async succeeded(message: Message<'done'>): Promise<void> {
    const { outcome, final, epoch, step } = message;
    const { jobId, tenantId } = this.options;
    const metrics = outcome.metrics ? metricsJson(outcome.metrics) : null;
    await this.write({ epoch, step }, async (tx, events) => {
      const snapshot = await createSnapshot(tx, { tenantId, jobId, kind: 'final', epoch, step, metrics, weights: final!, state: null });
      await events.add('snapshot', snapshot);
      await this.move(tx, 'succeeded', {
        finalSnapshotId: snapshot.id as string, stoppedEarly: outcome.stoppedEarly, samplesPerSecond: outcome.samplesPerSecond,
        ...(metrics ? { metrics } : {}),
      });
      await tx.checkpoint.deleteMany({ where: { jobId } });
      await events.status('succeeded', null);
    });
  }

  /** Cancelled at a step boundary: the snapshots stay, the checkpoint goes. */
  async cancelled(message: Message<'done'>): Promise<void> {
    const { epoch, step } = message;
    await this.write({ epoch, step }, async (tx, events) => {
      await this.move(tx, 'cancelled', {});
      await tx.checkpoint.deleteMany({ where: { jobId: this.options.jobId } });
      await events.status('cancelled', null);
    });
  }

  /**
   * Shutdown: back to `queued`, resumable from the state where training stopped (or, when the thread had to
   * be killed, from the last checkpoint).
   */
  async handedBack(message: Message<'done'> | null): Promise<void> {
    const columns = message ? { epoch: message.epoch, step: message.step } : {};
    await this.write(columns, async (tx, events) => {
      if (message) await this.saveCheckpoint(tx, message.epoch, message.step, message.state);
      await this.move(tx, 'queued', {});
      await events.status('queued', null);
    });
  }

  async failed(code: JobErrorCode, message: string): Promise<void> {
    await this.write({}, async (tx, events) => {
      await this.move(tx, 'failed', { errorCode: code, errorMessage: message });
      await tx.checkpoint.deleteMany({ where: { jobId: this.options.jobId } });
      await events.status('failed', { code, message });
    });
  }

  private progressData(epoch: number, step: number, samplesPerSecond: number): Prisma.InputJsonObject {
    const fraction = this.steps > 0 ? Math.min(1, step / this.steps) : 0;
    return { epoch, epochs: this.options.epochs, step, steps: this.steps, fraction, samplesPerSecond };
  }

  private async upsertPoint(tx: Tx, epoch: number, step: number, metrics: MetricsJson) {
    const values = {
      epoch, loss: metrics.loss, accuracy: metrics.accuracy ?? null, valLoss: metrics.valLoss ?? null,
      valAccuracy: metrics.valAccuracy ?? null, at: new Date(),
    };
    await tx.metricPoint.upsert({
      where: { jobId_step: { jobId: this.options.jobId, step } },
      create: { jobId: this.options.jobId, step, ...values },
      update: values,
    });
  }

  private async saveCheckpoint(tx: Tx, epoch: number, step: number, state: Uint8Array): Promise<void> {
    const { jobId } = this.options;
    await tx.checkpoint.upsert({
      where: { jobId },
      create: { jobId, epoch, step, state: asBytes(state) },
      update: { epoch, step, state: asBytes(state) },
    });
  }

  private async move(tx: Tx, to: 'succeeded' | 'failed' | 'cancelled' | 'queued', data: Prisma.JobUpdateManyMutationInput) {
    if (!(await transitionJob(tx, this.options.jobId, to, data))) throw new LeaseLostError(this.options.jobId);
  }

  /** One transaction: fence + progress columns, then `body`; events are announced after commit. */
  private async write<T>(columns: Prisma.JobUpdateManyMutationInput, body: (tx: Tx, events: EventBatch) => Promise<T>): Promise<T> {
    const { prisma, jobId, lease } = this.options;
    let events!: EventBatch;
    const result = await prisma.$transaction(async (tx) => {
      events = new EventBatch(tx, jobId);
      const { count } = await tx.job.updateMany({ where: { id: jobId, status: 'running', attempts: lease }, data: columns });
      if (count === 0) throw new LeaseLostError(jobId);
      return body(tx, events);
    }, TRANSACTION_OPTIONS);
    await events.announce(this.options);
    return result;
  }
}
