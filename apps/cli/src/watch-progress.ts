import { isTerminal, watchJob, type Job, type JobEvent, type JobStatus, type TrainyardClient } from '@trainyard/client';
import type { CommandContext } from './command.ts';
import { EtaEstimator, renderProgress, type ProgressView } from './progress-bar.ts';
import { formatDuration, formatNumber, formatPercent } from './table.ts';

/** A terminal redraws at most this often; a log file gets one line per this many ms at most. */
const TTY_REDRAW_MS = 100;
const LOG_LINE_MS = 1_000;

/**
 * Follows a job with a live progress bar on stderr (redrawn in place on a terminal, one line per second
 * otherwise), then prints a summary. Ctrl-C stops watching, not the job. Resolves with the final status,
 * or null when the user stopped watching.
 */
export async function watchWithProgress(context: CommandContext, client: TrainyardClient, job: Job): Promise<JobStatus | null> {
  const output = context.io.stderr;
  const tty = output.isTTY === true;
  const view: ProgressView = {
    status: job.status,
    epoch: job.progress.epoch,
    epochs: job.progress.epochs,
    fraction: job.progress.fraction,
    ...job.metrics,
    etaSeconds: null,
  };
  const eta = new EtaEstimator();
  let lastDraw = 0;
  let lastDrawnEpoch = -1;
  let lastLine = '';
  const draw = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastDraw < (tty ? TTY_REDRAW_MS : LOG_LINE_MS)) return;
    if (!tty && !force && view.epoch === lastDrawnEpoch) return;
    const width = tty && output.columns ? Math.max(8, Math.min(30, output.columns - 100)) : 24;
    const line = renderProgress(view, width);
    if (line === lastLine) return;
    lastDraw = now;
    lastDrawnEpoch = view.epoch;
    lastLine = line;
    output.write(tty ? `\r${line}\u001b[K` : `${line}\n`);
  };
  const onEvent = (event: JobEvent) => {
    apply(view, event);
    if (event.type === 'progress') view.etaSeconds = eta.observe(view.fraction, Date.now());
    draw(event.type === 'status');
  };

  const abort = new AbortController();
  const onInterrupt = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onInterrupt);
  draw(true);
  try {
    await watchJob(client, job.id, {
      onEvent,
      signal: abort.signal,
      onModeChange: (mode, reason) => {
        if (mode === 'polling') context.note(`${tty ? '\n' : ''}(event stream unavailable${reason ? `: ${reason}` : ''}; polling)`);
      },
    });
  } catch (error) {
    if (!abort.signal.aborted) throw error;
    output.write(tty ? '\n' : '');
    context.note(`stopped watching; ${job.id} goes on (trainyard jobs cancel ${job.id} stops it)`);
    return null;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
  if (tty) output.write('\n');
  const final = await client.getJob(job.id);
  context.note(summary(final));
  return final.status;
}

function apply(view: ProgressView, event: JobEvent): void {
  switch (event.type) {
    case 'status':
      view.status = event.data.status;
      if (event.data.status === 'succeeded') view.fraction = 1;
      if (isTerminal(event.data.status)) view.etaSeconds = 0;
      break;
    case 'progress':
      view.epoch = event.data.epoch;
      view.epochs = event.data.epochs;
      view.fraction = event.data.fraction;
      break;
    case 'metrics':
      view.loss = event.data.loss;
      view.valLoss = event.data.valLoss;
      view.accuracy = event.data.accuracy;
      view.valAccuracy = event.data.valAccuracy;
      break;
    case 'snapshot':
      break;
  }
}

/** `succeeded in 0:04 · 120 epochs · loss 0.0712 · val_acc 96.7% · 3,120 samples/s (native)` */
export function summary(job: Job): string {
  const parts = [`${job.id} ${job.status}`];
  if (job.startedAt && job.finishedAt) parts[0] += ` in ${formatDuration((Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000)}`;
  parts.push(`${job.progress.epoch}/${job.progress.epochs} epochs${job.stoppedEarly ? ' (stopped early)' : ''}`);
  if (job.metrics) {
    parts.push(`loss ${formatNumber(job.metrics.loss)}`);
    if (job.metrics.valLoss !== undefined) parts.push(`val_loss ${formatNumber(job.metrics.valLoss)}`);
    if (job.metrics.valAccuracy !== undefined) parts.push(`val_acc ${formatPercent(job.metrics.valAccuracy)}`);
    else if (job.metrics.accuracy !== undefined) parts.push(`acc ${formatPercent(job.metrics.accuracy)}`);
  }
  if (job.samplesPerSecond !== null) parts.push(`${Math.round(job.samplesPerSecond).toLocaleString('en-US')} samples/s${job.backend ? ` (${job.backend})` : ''}`);
  let text = parts.join(' · ');
  if (job.error) text += `\nerror ${job.error.code}: ${job.error.message}`;
  if (job.status === 'succeeded') text += `\nweights: trainyard weights download ${job.id}`;
  return text;
}
