import type { Job, JobStatus, JobSubmitBody } from '@trainyard/client';
import type { Command } from '../command.ts';
import { formatNumber, formatPercent, formatTable } from '../table.ts';
import { readJsonFile } from './json-file.ts';
import { watchWithProgress } from '../watch-progress.ts';

const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

/** Exit code of a watched job: 0 only when it succeeded. */
const exitCodeOf = (status: JobStatus | null): number => (status === null ? 130 : status === 'succeeded' ? 0 : 1);

export const jobsSubmit: Command = {
  path: ['jobs', 'submit'],
  args: '<spec.json | ->',
  summary: 'Submit a training job (API.md body); --watch follows it with a progress bar',
  options: { watch: { type: 'boolean', short: 'w' }, 'idempotency-key': { type: 'string' } },
  help: [
    ['-w, --watch', 'follow the job with a progress bar until it ends (exit 0 only if it succeeded)'],
    ['--idempotency-key <key>', 'resubmitting with the same key returns the first job'],
  ],
  async run(context) {
    const spec = await readJsonFile<JobSubmitBody>(context, context.arg(0, 'the job spec file'));
    const client = context.client();
    const job = await client.submitJob(spec, { idempotencyKey: context.string('idempotency-key') });
    if (context.json && !context.flags.watch) return context.printJson(job);
    context.print(job.id);
    if (!context.flags.watch) return;
    const status = await watchWithProgress(context, client, job);
    if (context.json) context.printJson(await client.getJob(job.id));
    return exitCodeOf(status);
  },
};

export const jobsWatch: Command = {
  path: ['jobs', 'watch'],
  args: '<job>',
  summary: 'Follow a job with a progress bar until it ends',
  async run(context) {
    const client = context.client();
    const job = await client.getJob(context.arg(0, 'the job id'));
    return exitCodeOf(await watchWithProgress(context, client, job));
  },
};

export const jobsList: Command = {
  path: ['jobs', 'list'],
  args: '',
  summary: 'List jobs, newest first',
  options: { status: { type: 'string' }, dataset: { type: 'string' }, limit: { type: 'string' }, after: { type: 'string' } },
  help: [
    ['--status <status>', 'queued | running | succeeded | failed | cancelled'],
    ['--dataset <id>', 'only jobs on this dataset'],
    ['--limit <n>, --after <cursor>', 'paging'],
  ],
  async run(context) {
    const page = await context.client().listJobs({
      status: context.choice('status', STATUSES),
      dataset: context.string('dataset'),
      limit: context.integer('limit'),
      after: context.string('after'),
    });
    if (context.json) return context.printJson(page);
    if (page.data.length === 0) return context.print('no jobs');
    const rows = page.data.map((job) => [
      job.id,
      job.status,
      job.dataset,
      `${job.progress.epoch}/${job.progress.epochs}`,
      formatPercent(job.progress.fraction),
      formatNumber(job.metrics?.loss),
      formatNumber(job.metrics?.valLoss),
      job.createdAt,
    ]);
    context.print(formatTable(['ID', 'STATUS', 'DATASET', 'EPOCH', 'DONE', 'LOSS', 'VAL_LOSS', 'CREATED'], rows));
    if (page.hasMore) context.note(`more: --after ${page.nextCursor}`);
  },
};

export const jobsGet: Command = {
  path: ['jobs', 'get'],
  args: '<job>',
  summary: 'Show one job',
  async run(context) {
    const job = await context.client().getJob(context.arg(0, 'the job id'));
    if (context.json) return context.printJson(job);
    context.print(describeJob(job));
  },
};

export const jobsCancel: Command = {
  path: ['jobs', 'cancel'],
  args: '<job>',
  summary: 'Cancel a queued or running job',
  async run(context) {
    const job = await context.client().cancelJob(context.arg(0, 'the job id'));
    if (context.json) return context.printJson(job);
    context.print(job.status === 'cancelled' ? `${job.id} cancelled` : `${job.id} is stopping (${job.status}, cancel requested)`);
  },
};

function describeJob(job: Job): string {
  const layers = job.model.layers.map((layer) => `${layer.units} ${layer.activation}`).join(' → ');
  const { optimizer } = job.training;
  const lines = [
    ['id', job.id],
    ['status', `${job.status}${job.stoppedEarly ? ' (stopped early)' : ''}${job.cancelRequested && job.status === 'running' ? ' (cancel requested)' : ''}`],
    ['dataset', job.dataset],
    ['model', `${job.model.inputSize} inputs → ${layers}`],
    ['training', `${job.training.epochs} epochs, batch ${job.training.batchSize}, ${optimizer.type} lr ${optimizer.learningRate}, ${job.training.loss}`],
    ['progress', `epoch ${job.progress.epoch}/${job.progress.epochs}, step ${job.progress.step}/${job.progress.steps} (${formatPercent(job.progress.fraction)})`],
    ['metrics', job.metrics ? Object.entries(job.metrics).map(([name, value]) => `${name} ${formatNumber(value)}`).join(', ') : '-'],
    ['backend', job.backend ?? '-'],
    ['samples/s', formatNumber(job.samplesPerSecond)],
    ['created', job.createdAt],
    ['started', job.startedAt ?? '-'],
    ['finished', job.finishedAt ?? '-'],
    ['best', job.bestSnapshot ?? '-'],
    ['final', job.finalSnapshot ?? '-'],
  ];
  if (job.error) lines.push(['error', `${job.error.code}: ${job.error.message}`]);
  return lines.map(([name, value]) => `${name.padEnd(10)} ${value}`).join('\n');
}
