// Every write a running job makes to PostgreSQL. Each write is one transaction that first re-checks the
// claim (status running AND attempts = our lease, which also locks the row): if another worker resumed the
// job meanwhile, nothing is written and LeaseLostError tells the caller to stop.
import { createHash } from 'node:crypto';
import { ENGINE_VERSION } from '@trainyard/backprop';
import { decideRung, markSweepRunning, transitionJob, type Prisma, type PrismaClient } from '@trainyard/db';
import { LeaseLostError, type JobErrorCode } from './job-failure.ts';
import type { METRIC_NAMES } from '@trainyard/contracts';
import { EventBatch, metricsJson, now, type Announcer, type MetricsJson } from './job-events.ts';
import { createSnapshot, dropSnapshotsAfter, prunePeriodicSnapshots, replaceBestSnapshot } from './snapshots.ts';
import { continueSweepOf, objectiveOf, type SweepContext } from './sweep-trials.ts';
import type { BestModel, FromThread } from './thread-protocol.ts';

type Message<T extends FromThread['type']> = Extract<FromThread, { type: T }>;
/** Thread messages written while training runs (all but `started`, `done` and `failed`). */
export type Recorded = Message<'progress' | 'stepMetrics' | 'checkpoint' | 'epoch'>;
export const isRecorded = (message: FromThread): message is Recorded =>
  message.type === 'progress' || message.type === 'stepMetrics' || message.type === 'checkpoint' || message.type === 'epoch';
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
  /** A replay: the job whose final weights this one's are compared with. */
  replayOf: string | null;
  /** A sweep's trial: its objective and rungs. */
  sweep: SweepContext | null;
}

/** The transaction that `together` shares between writes. */
interface SharedWrite { tx: Tx; events: EventBatch; afterCommit: (() => Promise<void>)[] }

export class JobWriter {
  private steps = 0;
  private shared: SharedWrite | null = null;

  constructor(private readonly options: JobWriterOptions) {}

  /** Training began (or resumed): drop what the re-run epochs will write again, announce `running`. */
  async started(message: Message<'started'>): Promise<void> {
    this.steps = message.totalSteps;
    const { jobId, lease } = this.options;
    const resumeStep = message.resumedFromStep ?? 0;
    const receipt = { backend: message.backend, threads: message.threads, engineVersion: ENGINE_VERSION };
    await this.write({ ...receipt, steps: message.totalSteps, epoch: message.epoch, step: message.step }, async (tx, events) => {
      // The first claim of a job (attempts 1) finds nothing an earlier run wrote: no points, snapshots or checkpoint.
      if (lease > 1) {
        await tx.metricPoint.deleteMany({ where: { jobId, step: { gt: resumeStep } } });
        await dropSnapshotsAfter(tx, jobId, resumeStep);
        const best = await tx.snapshot.findFirst({ where: { jobId, kind: 'best' }, select: { id: true } });
        await tx.job.update({ where: { id: jobId }, data: { bestSnapshotId: best?.id ?? null }, select: { id: true } });
        if (message.resumedFromStep === null) await tx.checkpoint.deleteMany({ where: { jobId } });
      }
      if (this.options.sweep) await markSweepRunning(tx, this.options.sweep.id);
      await events.status('running', null);
    });
  }

  /**
   * Several writes as one transaction: a job whose thread finished before its start was written (a tiny job)
   * commits its start, epochs and end together. What must follow a commit (announcements, the sweep going on)
   * runs after this one commits.
   */
  async together<T>(writes: () => Promise<T>): Promise<T> {
    const { prisma, jobId } = this.options;
    let shared!: SharedWrite;
    const result = await prisma.$transaction(async (tx) => {
      shared = { tx, events: new EventBatch(tx, jobId), afterCommit: [] };
      this.shared = shared;
      try {
        const result = await writes();
        await shared.events.flush();
        return result;
      } finally {
        this.shared = null;
      }
    }, TRANSACTION_OPTIONS);
    await shared.events.announce(this.options);
    for (const step of shared.afterCommit) await step();
    return result;
  }

  /**
   * What the thread reported since the last write, in one transaction: every epoch's and step's metric point
   * and events, in order; then only what is still current — the newest checkpoint, the newest best
   * snapshot, and the periodic snapshots that `keep` retains (older ones would be pruned at once). A
   * database slower than the epochs thus costs a few larger writes, not a stalled training thread.
   * Returns whether a cancel was requested meanwhile (the fallback to pub/sub).
   */
  async record(batch: readonly Recorded[]): Promise<{ cancelRequested: boolean; pruned: boolean }> {
    const { jobId, tenantId, snapshots } = this.options;
    let progress: { epoch: number; step: number; samplesPerSecond: number } | null = null;
    let metrics: MetricsJson | undefined;
    let checkpoint: { epoch: number; step: number; state: Uint8Array } | null = null;
    let best: BestModel | null = null;
    const periodic: Message<'epoch'>[] = [];
    for (const message of batch) {
      if (message.type === 'progress') {
        const { epoch, step, samplesPerSecond } = message;
        progress = { epoch, step, samplesPerSecond };
      }
      if (message.type === 'checkpoint') checkpoint = message;
      if (message.type === 'epoch') {
        const { epoch, step, samplesPerSecond } = message.report;
        progress = { epoch, step, samplesPerSecond };
        metrics = metricsJson(message.report);
        if (message.state) checkpoint = { epoch, step, state: message.state };
        if (message.periodic) periodic.push(message);
      }
      if ((message.type === 'checkpoint' || message.type === 'epoch') && message.best) best = message.best;
    }
    // Periodic snapshots beyond `keep` would be pruned in this same transaction: they are never written.
    const written = new Set(periodic.slice(periodic.length - Math.min(snapshots.keep, periodic.length)));
    const columns: Prisma.JobUpdateManyMutationInput = { ...(progress ?? {}), ...(metrics ? { metrics } : {}) };
    return this.write(columns, async (tx, events) => {
      const points = new Map<number, { epoch: number; metrics: MetricsJson }>();
      for (const message of batch) {
        if (message.type === 'stepMetrics') {
          const { epoch, step, loss } = message;
          points.delete(step); // re-inserted last: the Map keeps the order points were taken in
          points.set(step, { epoch, metrics: { loss } });
          events.add('metrics', { epoch, step, loss, at: now() });
        } else if (message.type === 'epoch') {
          const { epoch, step } = message.report;
          const metrics = metricsJson(message.report);
          points.delete(step);
          points.set(step, { epoch, metrics });
          events.add('metrics', { epoch, step, ...metrics, at: now() });
          if (written.has(message)) {
            events.add('snapshot', await createSnapshot(tx, { tenantId, jobId, kind: 'periodic', epoch, step, metrics, weights: message.periodic!, state: null }));
          }
        }
      }
      // One progress event for the whole write: where training stands now (metrics events carry every epoch).
      if (progress) events.add('progress', this.progressData(progress.epoch, progress.step, progress.samplesPerSecond));
      await this.upsertPoints(tx, points);
      if (periodic.length > 0) await prunePeriodicSnapshots(tx, jobId, snapshots.keep);
      if (best) await this.saveBest(tx, events, best);
      if (checkpoint !== null) await this.saveCheckpoint(tx, checkpoint.epoch, checkpoint.step, checkpoint.state);
      const pruned = await this.judgeRungs(tx, batch);
      const row = await tx.job.findUniqueOrThrow({ where: { id: jobId }, select: { cancelRequested: true } });
      return { cancelRequested: row.cancelRequested, pruned };
    });
  }

  /** ASHA: a sweep trial's epochs that reached a rung are judged, once each; true when one says stop. */
  private async judgeRungs(tx: Tx, batch: readonly Recorded[]): Promise<boolean> {
    const { sweep, jobId } = this.options;
    if (!sweep?.pruning) return false;
    let pruned = false;
    for (const message of batch) {
      if (message.type !== 'epoch' || !sweep.pruning.rungs.includes(message.report.epoch)) continue;
      const value = objectiveOf(sweep, message.report as unknown as Record<string, unknown>);
      const continues = await decideRung(tx, { sweepId: sweep.id, epoch: message.report.epoch, jobId, value, goal: sweep.goal, reductionFactor: sweep.pruning.reductionFactor });
      if (!continues) pruned = true;
    }
    return pruned;
  }

  /**
   * Training reached its end (all epochs, early stopping, or a sweep's rung pruned it): the final snapshot and
   * `succeeded`.
   */
  async succeeded(message: Message<'done'>, pruned = false): Promise<void> {
    const { outcome, final, epoch, step } = message;
    const { jobId, tenantId, sweep } = this.options;
    const metrics = outcome.metrics ? metricsJson(outcome.metrics) : null;
    const stopReason = pruned ? 'pruned' : outcome.stoppedEarly ? 'early_stopping' : null;
    await this.write({ epoch, step }, async (tx, events) => {
      if (message.best) await this.saveBest(tx, events, message.best);
      const snapshot = await createSnapshot(tx, { tenantId, jobId, kind: 'final', epoch, step, metrics, weights: final!, state: null });
      events.add('snapshot', snapshot);
      if (message.evaluation) {
        await tx.evaluation.create({ data: { snapshotId: snapshot.id as string, jobId, body: { jobId, snapshotId: snapshot.id, ...message.evaluation } as unknown as Prisma.InputJsonObject } });
      }
      await this.move(tx, 'succeeded', {
        finalSnapshotId: snapshot.id as string, stoppedEarly: outcome.stoppedEarly || pruned, stopReason, samplesPerSecond: outcome.samplesPerSecond,
        ...(sweep ? { objective: finiteOrNull(objectiveOf(sweep, metrics ?? (await this.latestMetrics(tx)))) } : {}),
        weightsSha256: createHash('sha256').update(final!).digest('hex'),
        ...(this.options.replayOf === null ? {} : { reproducesIdentical: await this.reproduces(tx, this.options.replayOf, final!) }),
        ...(metrics ? { metrics } : {}),
      });
      await tx.checkpoint.deleteMany({ where: { jobId } });
      await events.status('succeeded', null);
    });
    await this.ended();
  }

  /** The job's current metrics (a pruned trial's outcome may carry none). */
  private async latestMetrics(tx: Tx): Promise<Record<string, unknown> | null> {
    const row = await tx.job.findUniqueOrThrow({ where: { id: this.options.jobId }, select: { metrics: true } });
    return row.metrics as Record<string, unknown> | null;
  }

  /** After a terminal state: a sweep's trial lets its sweep go on. */
  private async ended(): Promise<void> {
    if (!this.options.sweep) return;
    const goOn = () => continueSweepOf(this.options.prisma, this.options, this.options.jobId);
    if (this.shared) this.shared.afterCommit.push(goOn);
    else await goOn();
  }

  /** Whether these final weights are byte for byte the replayed job's (false if its final snapshot is gone). */
  private async reproduces(tx: Tx, replayOf: string, final: Uint8Array): Promise<boolean> {
    const original = await tx.job.findUnique({ where: { id: replayOf }, select: { finalSnapshotId: true } });
    if (!original?.finalSnapshotId) return false;
    const snapshot = await tx.snapshot.findUnique({ where: { id: original.finalSnapshotId }, select: { weights: true } });
    return snapshot !== null && Buffer.from(snapshot.weights).equals(Buffer.from(final.buffer, final.byteOffset, final.byteLength));
  }

  /** Cancelled at a step boundary: the snapshots stay, the checkpoint goes. */
  async cancelled(message: Message<'done'>): Promise<void> {
    const { epoch, step } = message;
    await this.write({ epoch, step }, async (tx, events) => {
      if (message.best) await this.saveBest(tx, events, message.best);
      await this.move(tx, 'cancelled', {});
      await tx.checkpoint.deleteMany({ where: { jobId: this.options.jobId } });
      await events.status('cancelled', null);
    });
    await this.ended();
  }

  /**
   * Shutdown: back to `queued`, resumable from the state where training stopped (or, when the thread had to
   * be killed, from the last checkpoint).
   */
  async handedBack(message: Message<'done'> | null): Promise<void> {
    const columns = message ? { epoch: message.epoch, step: message.step } : {};
    await this.write(columns, async (tx, events) => {
      if (message?.best) await this.saveBest(tx, events, message.best);
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
    await this.ended();
  }

  private progressData(epoch: number, step: number, samplesPerSecond: number): Prisma.InputJsonObject {
    const fraction = this.steps > 0 ? Math.min(1, step / this.steps) : 0;
    return { epoch, epochs: this.options.epochs, step, steps: this.steps, fraction, samplesPerSecond };
  }

  /** Metric points by step, in one statement (a later point for the same step replaces an earlier one). */
  private async upsertPoints(tx: Tx, points: Map<number, { epoch: number; metrics: MetricsJson }>): Promise<void> {
    if (points.size === 0) return;
    const rows = [...points];
    const column = <T>(pick: (point: { epoch: number; metrics: MetricsJson }) => T) => rows.map(([, point]) => pick(point));
    const metric = (name: (typeof METRIC_NAMES)[number]) => column((p) => p.metrics[name] ?? null);
    await tx.$executeRaw`
      INSERT INTO metric_points ("jobId", step, epoch, loss, accuracy, "valLoss", "valAccuracy", rmse, mae, r2, "valRmse", "valMae", "valR2", at)
      SELECT ${this.options.jobId}, p.step, p.epoch, p.loss, p.accuracy, p.val_loss, p.val_accuracy, p.rmse, p.mae, p.r2, p.val_rmse, p.val_mae, p.val_r2, now()
      FROM unnest(${rows.map(([step]) => step)}::int[], ${column((p) => p.epoch)}::int[], ${column((p) => p.metrics.loss)}::float8[],
                  ${metric('accuracy')}::float8[], ${metric('valLoss')}::float8[], ${metric('valAccuracy')}::float8[],
                  ${metric('rmse')}::float8[], ${metric('mae')}::float8[], ${metric('r2')}::float8[],
                  ${metric('valRmse')}::float8[], ${metric('valMae')}::float8[], ${metric('valR2')}::float8[])
        AS p(step, epoch, loss, accuracy, val_loss, val_accuracy, rmse, mae, r2, val_rmse, val_mae, val_r2)
      ON CONFLICT ("jobId", step) DO UPDATE SET epoch = EXCLUDED.epoch, loss = EXCLUDED.loss, accuracy = EXCLUDED.accuracy,
        "valLoss" = EXCLUDED."valLoss", "valAccuracy" = EXCLUDED."valAccuracy", rmse = EXCLUDED.rmse, mae = EXCLUDED.mae,
        r2 = EXCLUDED.r2, "valRmse" = EXCLUDED."valRmse", "valMae" = EXCLUDED."valMae", "valR2" = EXCLUDED."valR2", at = EXCLUDED.at`;
  }

  private async saveBest(tx: Tx, events: EventBatch, { report, weights }: BestModel): Promise<void> {
    const { tenantId, jobId } = this.options;
    const { epoch, step } = report;
    events.add('snapshot', await replaceBestSnapshot(tx, { tenantId, jobId, epoch, step, metrics: metricsJson(report), weights }));
  }

  private async saveCheckpoint(tx: Tx, epoch: number, step: number, state: Uint8Array): Promise<void> {
    const { jobId } = this.options;
    await tx.checkpoint.upsert({
      where: { jobId },
      create: { jobId, epoch, step, state: asBytes(state) },
      update: { epoch, step, state: asBytes(state) },
      select: { jobId: true }, // not the state back
    });
  }

  private async move(tx: Tx, to: 'succeeded' | 'failed' | 'cancelled' | 'queued', data: Prisma.JobUpdateManyMutationInput) {
    if (!(await transitionJob(tx, this.options.jobId, to, data))) throw new LeaseLostError(this.options.jobId);
  }

  /** One transaction (or a part of `together`'s): fence + progress columns, then `body`; events are announced after commit. */
  private async write<T>(columns: Prisma.JobUpdateManyMutationInput, body: (tx: Tx, events: EventBatch) => Promise<T>): Promise<T> {
    const { prisma, jobId, lease } = this.options;
    const fenced = async (tx: Tx, events: EventBatch) => {
      const { count } = await tx.job.updateMany({ where: { id: jobId, status: 'running', attempts: lease }, data: columns });
      if (count === 0) throw new LeaseLostError(jobId);
      return body(tx, events);
    };
    if (this.shared) return fenced(this.shared.tx, this.shared.events);
    let events!: EventBatch;
    const result = await prisma.$transaction(async (tx) => {
      events = new EventBatch(tx, jobId);
      const result = await fenced(tx, events);
      await events.flush();
      return result;
    }, TRANSACTION_OPTIONS);
    await events.announce(this.options);
    return result;
  }
}

const finiteOrNull = (value: number) => (Number.isFinite(value) ? value : null);
