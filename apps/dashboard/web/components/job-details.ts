import type { Job } from '@trainyard/client';
import type { DatasetCache } from '../dataset-cache.ts';
import { h, replace } from '../dom.ts';
import { between, duration, time } from '../format.ts';
import { datasetLink } from './dataset-link.ts';

/** The job's spec (model, training, snapshots, metadata) and timings. */
export class JobDetails {
  readonly element: HTMLElement;
  private readonly model = h('div');
  private readonly training = h('dl', { class: 'pairs' });
  private readonly timings = h('dl', { class: 'pairs' });
  private readonly spec = h('pre', { class: 'spec' });

  constructor(private readonly datasets: DatasetCache) {
    this.element = h(
      'section',
      { class: 'details' },
      h('div', { class: 'card' }, h('h2', null, 'Model'), this.model, h('h2', null, 'Timings'), this.timings),
      h('div', { class: 'card' }, h('h2', null, 'Training'), this.training),
      h('details', { class: 'card spec-card' }, h('summary', null, 'Full spec (JSON)'), this.spec),
    );
  }

  show(job: Job): void {
    const { training } = job;
    const input = h('li', null, `${job.model.inputSize} inputs (`, datasetLink(this.datasets, job.dataset, 'dataset-link'), ')');
    const layers = job.model.layers.map((layer) => h('li', null, `${layer.units} × ${layer.activation}`));
    replace(this.model, h('ol', { class: 'layers' }, input, ...layers));
    const optimizer = training.optimizer;
    const optimizerText =
      optimizer.type === 'adam'
        ? `adam (lr ${optimizer.learningRate}, β1 ${optimizer.beta1}, β2 ${optimizer.beta2})`
        : `sgd (lr ${optimizer.learningRate}, momentum ${optimizer.momentum}${optimizer.nesterov ? ', nesterov' : ''})`;
    const early = training.earlyStopping;
    replace(
      this.training,
      ...pairs([
        ['epochs', String(training.epochs)],
        ['batch size', String(training.batchSize)],
        ['optimizer', optimizerText + (optimizer.weightDecay > 0 ? `, weight decay ${optimizer.weightDecay}` : '')],
        ['loss', training.loss],
        ['validation split', String(training.validationSplit)],
        ['test split', String(training.testSplit ?? 0)],
        ['class weights', classWeights(training.classWeights)],
        ['features', features(job.features)],
        ['shuffle / seed', `${training.shuffle ? 'yes' : 'no'} / ${training.seed}`],
        ['normalize inputs', training.normalize ? 'yes' : 'no'],
        ['early stopping', early ? `${early.metric}, patience ${early.patience}${early.restoreBest ? ', restore best' : ''}` : 'off'],
        ['snapshots', `every ${job.snapshots.everyEpochs} epochs, keep ${job.snapshots.keep}`],
        ['initial weights', job.initialWeights ?? '–'],
      ]),
    );
    const waited = between(job.createdAt, job.startedAt);
    const ran = between(job.startedAt, job.finishedAt);
    replace(
      this.timings,
      ...pairs([
        ['created', time(job.createdAt)],
        ['started', time(job.startedAt)],
        ['finished', time(job.finishedAt)],
        ['queued for', waited === null ? '–' : duration(waited)],
        ['training time', ran === null ? '–' : duration(ran)],
      ]),
    );
    const { progress: _progress, metrics: _metrics, receipt: _receipt, ...spec } = job; // the receipt has its own panel
    this.spec.textContent = JSON.stringify(spec, null, 2);
  }
}

function classWeights(weights: Job['training']['classWeights']): string {
  if (weights === null || weights === undefined) return 'none';
  if (weights === 'balanced') return 'balanced';
  return Object.entries(weights).map(([label, weight]) => `${label}: ${weight}`).join(', ');
}

function features(selection: Job['features']): string {
  if (!selection) return 'all';
  if ('include' in selection) return `only ${selection.include.join(', ')}`;
  return selection.exclude.length > 0 ? `all but ${selection.exclude.join(', ')}` : 'all';
}

function pairs(entries: [string, string][]): HTMLElement[] {
  return entries.flatMap(([name, value]) => [h('dt', null, name), h('dd', { dataset: { field: name } }, value)]);
}
