import { watchJob, type JobEvent, type MetricPoint } from '@trainyard/client';
import type { Command, CommandContext } from '../command.ts';
import { formatNumber, formatPercent } from '../table.ts';

export const jobsLogs: Command = {
  path: ['jobs', 'logs'],
  args: '<job>',
  summary: "Print a job's metrics and events; --follow streams them live (SSE) until it ends",
  options: { follow: { type: 'boolean', short: 'f' } },
  help: [
    ['-f, --follow', 'replay every event, then stream new ones until the job ends (exit 0 only if it succeeded)'],
    ['--json', 'one JSON object per line'],
  ],
  async run(context) {
    const jobId = context.arg(0, 'the job id');
    const client = context.client();
    if (!context.flags.follow) {
      const [job, points] = await Promise.all([client.getJob(jobId), client.allMetrics(jobId)]);
      for (const point of points) line(context, { id: null, type: 'metrics', data: point });
      line(context, { id: null, type: 'status', data: { status: job.status, error: job.error, at: job.finishedAt ?? job.startedAt ?? job.createdAt } });
      return;
    }
    const abort = new AbortController();
    const onInterrupt = () => abort.abort(new Error('interrupted'));
    process.once('SIGINT', onInterrupt);
    try {
      const status = await watchJob(client, jobId, {
        signal: abort.signal,
        onEvent: (event) => line(context, event),
        onModeChange: (mode, reason) => mode === 'polling' && context.note(`(event stream unavailable${reason ? `: ${reason}` : ''}; polling)`),
      });
      return status === 'succeeded' ? 0 : 1;
    } catch (error) {
      if (abort.signal.aborted) return 130;
      throw error;
    } finally {
      process.removeListener('SIGINT', onInterrupt);
    }
  },
};

function line(context: CommandContext, event: JobEvent): void {
  if (context.json) return context.print(JSON.stringify({ type: event.type, id: event.id, ...event.data }));
  if (event.type === 'progress') return; // the metrics lines say the same, once per epoch
  context.print(`${timeOf(event)}  ${describe(event)}`);
}

function timeOf(event: JobEvent): string {
  const at = event.type === 'snapshot' ? event.data.createdAt : event.type === 'progress' ? null : event.data.at;
  return at ?? ''.padEnd(24);
}

function describe(event: JobEvent): string {
  switch (event.type) {
    case 'status':
      return `status    ${event.data.status}${event.data.error ? ` (${event.data.error.code}: ${event.data.error.message})` : ''}`;
    case 'metrics':
      return `epoch ${String(event.data.epoch).padStart(4)}  step ${String(event.data.step).padStart(6)}  ${metrics(event.data)}`;
    case 'snapshot':
      return `snapshot  ${event.data.id} (${event.data.kind}, epoch ${event.data.epoch}, ${event.data.sizeBytes} bytes)`;
    case 'progress':
      return `progress  epoch ${event.data.epoch}/${event.data.epochs}`;
  }
}

function metrics(point: Pick<MetricPoint, 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy'>): string {
  const parts = [`loss ${formatNumber(point.loss)}`];
  if (point.accuracy !== undefined) parts.push(`acc ${formatPercent(point.accuracy)}`);
  if (point.valLoss !== undefined) parts.push(`val_loss ${formatNumber(point.valLoss)}`);
  if (point.valAccuracy !== undefined) parts.push(`val_acc ${formatPercent(point.valAccuracy)}`);
  return parts.join('  ');
}
