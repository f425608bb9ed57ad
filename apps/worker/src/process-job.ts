// The BullMQ processor: one queue entry (a job id) → load, re-validate, claim, train in a thread, record.
// Job-level failures end the job and are not retried (UnrecoverableError); infrastructure errors are thrown
// as they are, so BullMQ retries and the retry resumes from the last checkpoint.
import type { PrismaClient } from '@trainyard/db';
import { parseJobPayload, type JobPayload } from '@trainyard/queue';
import { availableBackends } from '@trainyard/backprop';
import { DelayedError, UnrecoverableError, WaitingError, type Job as BullJob } from 'bullmq';
import type { Logger } from 'pino';
import type { ActiveJob, ActiveJobs } from './active-jobs.ts';
import { claimJob, endUnclaimed } from './claim.ts';
import type { Announcer } from './job-events.ts';
import { asJobErrorCode, JobFailure, LeaseLostError } from './job-failure.ts';
import { isRecorded, JobWriter } from './job-writer.ts';
import { planTraining, threadInput, type ThreadSettings } from './training-plan.ts';
import { sweepContext } from './sweep-trials.ts';
import type { ThreadPool } from './thread-pool.ts';
import { TrainingRun } from './training-run.ts';
import { leaveForLater, runningJobsOfTenant } from './tenant-limit.ts';

export interface ProcessorDeps extends Announcer {
  prisma: PrismaClient;
  active: ActiveJobs;
  /** Warm training threads; null: a thread per job. */
  threads: ThreadPool | null;
  settings: ThreadSettings & { maxJobAttempts: number; replayWaitMs: number; maxRunningJobsPerTenant: number };
}

/** What happened, as BullMQ's return value (visible in Bull Board). */
export type ProcessResult = 'succeeded' | 'cancelled' | 'skipped' | 'lease_lost';

export async function processJob(deps: ProcessorDeps, bullJob: BullJob<JobPayload>, token?: string): Promise<ProcessResult> {
  let jobId: string;
  try {
    jobId = parseJobPayload(bullJob.data).jobId;
  } catch (error) {
    throw new UnrecoverableError((error as Error).message);
  }
  const log = deps.log.child({ jobId });
  if (deps.active.has(jobId)) {
    // Redis lost the entry of a job this process still trains and the reconciler queued it again: the run
    // here goes on (its lease is intact); a second run beside it would only fence the first out.
    log.info('this worker is already training the job; the repeated queue entry is dropped');
    return 'skipped';
  }
  const active = deps.active.add(jobId);
  try {
    return await processClaimable(deps, log, jobId, active, bullJob, token);
  } catch (error) {
    if (error instanceof LeaseLostError) {
      log.warn('another worker took this job over; stopped without writing');
      return 'lease_lost';
    }
    throw error;
  } finally {
    deps.active.delete(jobId, active);
  }
}

async function processClaimable(
  deps: ProcessorDeps, log: Logger, jobId: string, active: ActiveJob, bullJob: BullJob<JobPayload>, token?: string,
): Promise<ProcessResult> {
  const { prisma } = deps;
  const announcer: Announcer = { ...deps, log };
  const row = await prisma.job.findUnique({
    where: { id: jobId },
    select: { id: true, tenantId: true, datasetId: true, spec: true, status: true, attempts: true, cancelRequested: true, replayOf: true, createdAt: true, sweepId: true },
  });
  if (!row || (row.status !== 'queued' && row.status !== 'running')) {
    log.info({ status: row?.status ?? 'missing' }, 'nothing to do for this job');
    return 'skipped';
  }
  if (row.cancelRequested) {
    await endUnclaimed(prisma, announcer, jobId, 'cancelled', null);
    return 'cancelled';
  }
  if (row.attempts >= deps.settings.maxJobAttempts) {
    const message = `the job was started ${row.attempts} times without finishing (TRAINYARD_MAX_JOB_ATTEMPTS)`;
    await endUnclaimed(prisma, announcer, jobId, 'failed', { code: 'internal', message });
    throw new UnrecoverableError(message);
  }
  const limit = { tenantId: row.tenantId, maxRunning: deps.settings.maxRunningJobsPerTenant };
  // A cheap look first; the claim decides, under the tenant's lock.
  if (row.status === 'queued' && (await runningJobsOfTenant(prisma, row.tenantId, jobId)) >= limit.maxRunning) return leaveForLater(bullJob, token);
  let plan;
  try {
    plan = await planTraining(prisma, row);
  } catch (error) {
    if (!(error instanceof JobFailure)) throw error;
    await endUnclaimed(prisma, announcer, jobId, 'failed', { code: error.code, message: error.message });
    throw new UnrecoverableError(`${error.code}: ${error.message}`);
  }
  if (active.stopReason === 'handback') return handBackUnclaimed(bullJob, token);
  if (plan.kernel !== null && !availableBackends().includes(plan.kernel.backend)) {
    return leaveToAnotherWorker(deps, announcer, row, plan.kernel.backend, bullJob, token);
  }

  const claim = await claimJob(prisma, jobId, row.status, row.attempts, limit);
  if (claim.kind === 'tenant_busy') {
    log.info({ running: claim.running }, 'the tenant already has TRAINYARD_MAX_RUNNING_JOBS_PER_TENANT jobs running; left queued for later');
    return leaveForLater(bullJob, token);
  }
  if (claim.kind === 'skip') {
    log.info(claim.reason);
    return 'skipped';
  }
  log.info({ lease: claim.lease, resumed: claim.resumed }, claim.resumed ? 'resuming job' : 'starting job');
  if (claim.cancelRequested) {
    await endUnclaimed(prisma, announcer, jobId, 'cancelled', null);
    return 'cancelled';
  }
  const sweep = await sweepContext(prisma, row.sweepId, plan.training.epochs);
  const writer = new JobWriter({
    ...announcer, prisma, jobId, tenantId: row.tenantId, lease: claim.lease,
    epochs: plan.training.epochs, snapshots: plan.snapshots, replayOf: row.replayOf,
    sweep,
  });
  let input;
  try {
    input = await threadInput(prisma, plan, deps.settings);
  } catch (error) {
    if (!(error instanceof JobFailure)) throw error;
    await writer.failed(error.code, error.message);
    throw new UnrecoverableError(`${error.code}: ${error.message}`);
  }
  const run = new TrainingRun({ ...input, rungs: sweep?.pruning?.rungs ?? [] }, deps.threads);
  active.attach(run);
  try {
    return await drive(run, writer, active, log, deps.settings.progressIntervalMs, bullJob, token);
  } finally {
    await run.terminate();
  }
}

/** The thread's `done` says training ran to its end (all epochs, or early stopping). */
const trainedToTheEnd = (done: { outcome: { status: string } }) => done.outcome.status === 'completed' || done.outcome.status === 'stopped_early';

/** Longest wait for a job's thread to finish before its start is written (never longer than the progress interval). */
const START_WRITE_GRACE_MS = 100;

/** Handles the thread's messages in order, those that arrive within a progress interval together, until training ends. */
async function drive(
  run: TrainingRun, writer: JobWriter, active: ActiveJob, log: Logger, recordIntervalMs: number, bullJob: BullJob<JobPayload>, token?: string,
): Promise<ProcessResult> {
  let lastRecord = -Infinity;
  for await (const message of run.messages()) {
    switch (message.type) {
      case 'started': {
        if (message.restartReason) log.warn(message.restartReason);
        log.info({ resumedFromStep: message.resumedFromStep, step: message.step, steps: message.totalSteps, backend: message.backend }, 'training started');
        // A short wait before the first write: a job that trains within it (a tiny one, a sweep's small trial)
        // then writes its start, epochs and end in one transaction instead of three or more.
        await run.pauseFor(Math.min(START_WRITE_GRACE_MS, recordIntervalMs));
        const finished = active.stopReason === null ? run.takeThroughDone(isRecorded, trainedToTheEnd) : null;
        if (finished) {
          // Trained already (a tiny job): start, epochs and end in one transaction instead of three.
          await writer.together(async () => {
            await writer.started(message);
            const recorded = finished.before.length > 0 ? await writer.record(finished.before) : { pruned: false };
            await writer.succeeded(finished.done, recorded.pruned);
          });
          log.info({ outcome: finished.done.outcome.status, epochs: finished.done.outcome.epochsRun }, 'job succeeded');
          return 'succeeded';
        }
        await writer.started(message);
        break;
      }
      case 'progress':
      case 'stepMetrics':
      case 'checkpoint':
      case 'epoch': {
        // At most one write per progress interval (sooner when training ends): what the thread reported
        // meanwhile goes into that one transaction, so fast epochs cost the database little, and the core
        // the database and this thread share is left to training.
        await run.pauseFor(lastRecord + recordIntervalMs - performance.now());
        lastRecord = performance.now();
        const batch = [message, ...run.takeQueued(isRecorded)];
        const recorded = await writer.record(batch);
        if (recorded.cancelRequested) active.stop('cancel');
        if (recorded.pruned) active.stop('prune');
        run.acknowledge(batch.filter((recorded) => recorded.type !== 'progress').length);
        break;
      }
      case 'done':
        if (active.stopReason === 'prune' && message.final !== null) {
          await writer.succeeded(message, true);
          log.info({ epochs: message.epoch }, 'sweep trial pruned at its rung');
          return 'succeeded';
        }
        if (trainedToTheEnd(message)) {
          await writer.succeeded(message);
          log.info({ outcome: message.outcome.status, epochs: message.outcome.epochsRun }, 'job succeeded');
          return 'succeeded';
        }
        if (active.stopReason === 'cancel') {
          await writer.cancelled(message);
          log.info('job cancelled');
          return 'cancelled';
        }
        await writer.handedBack(message);
        return handBackClaimed(log, bullJob, token);
      case 'failed':
        if (run.terminated && active.stopReason === 'handback') {
          // The thread was killed because shutdown ran out of time: resume from the last checkpoint.
          await writer.handedBack(null);
          return handBackClaimed(log, bullJob, token);
        }
        await writer.failed(asJobErrorCode(message.code), message.message);
        log.info({ code: message.code }, 'job failed');
        throw new UnrecoverableError(`${message.code}: ${message.message}`);
    }
  }
  throw new Error('the training thread ended without a result');
}

/** Seconds between two looks at a replay that needs a backend this worker lacks. */
const REPLAY_RETRY_MS = 2_000;

/**
 * A replay this worker cannot train (its backend is not built here): back to the queue, delayed, for a
 * worker that can; failed `backend_unavailable` once it has waited TRAINYARD_REPLAY_WAIT_SECONDS.
 */
async function leaveToAnotherWorker(
  deps: ProcessorDeps, announcer: Announcer, row: { id: string; createdAt: Date }, backend: string, bullJob: BullJob<JobPayload>, token?: string,
): Promise<never> {
  const waited = Date.now() - row.createdAt.getTime();
  if (waited >= deps.settings.replayWaitMs) {
    const message = `no worker offered backend ${backend} within ${Math.round(deps.settings.replayWaitMs / 1000)} s (TRAINYARD_REPLAY_WAIT_SECONDS); this one has ${availableBackends().join(', ')}`;
    await endUnclaimed(deps.prisma, announcer, row.id, 'failed', { code: 'backend_unavailable', message });
    throw new UnrecoverableError(`backend_unavailable: ${message}`);
  }
  announcer.log.info({ backend }, 'replay needs a backend this worker lacks; left to another worker');
  await bullJob.moveToDelayed(Date.now() + REPLAY_RETRY_MS, token);
  throw new DelayedError();
}

/** Back to BullMQ's waiting list under the same id, for another worker; BullMQ expects WaitingError after it. */
async function handBackClaimed(log: Logger, bullJob: BullJob<JobPayload>, token?: string): Promise<never> {
  log.info('job handed back to the queue');
  return handBackUnclaimed(bullJob, token);
}

async function handBackUnclaimed(bullJob: BullJob<JobPayload>, token?: string): Promise<never> {
  await bullJob.moveToWait(token);
  throw new WaitingError();
}
