import type { Job } from '@trainyard/client';
import { h, replace } from '../dom.ts';

/**
 * What the job trained from and on (`receipt`): the dataset's and final weights' SHA-256, the seed, the engine
 * (version, backend, threads) and the spec with every default filled in. Enough to check the job, or replay it.
 */
export class ReceiptPanel {
  readonly element: HTMLElement;
  private readonly waiting = h('p', { class: 'muted' });
  private readonly pairs = h('dl', { class: 'pairs' });
  private readonly spec = h('pre', { class: 'spec' });
  // Kept across refreshes, so that an opened spec stays open while the job runs.
  private readonly specCard = h('details', { class: 'resolved-spec', hidden: true }, h('summary', null, 'Resolved spec (JSON, every default filled in)'), this.spec);

  constructor() {
    this.element = h('section', { class: 'card receipt', dataset: { state: 'waiting' } }, h('h2', null, 'Receipt'), this.waiting, this.pairs, this.specCard);
  }

  show(job: Job): void {
    const { receipt } = job;
    this.element.dataset.state = receipt === null ? 'waiting' : 'ready';
    this.waiting.hidden = receipt !== null;
    this.specCard.hidden = receipt === null;
    if (receipt === null) {
      this.waiting.textContent = job.status === 'queued' ? 'Written when a worker starts the job.' : 'This job never started: it has no receipt.';
      replace(this.pairs);
      return;
    }
    const { engine } = receipt;
    const threads = engine.threads === null ? 'threads unknown' : `${engine.threads} thread${engine.threads === 1 ? '' : 's'}`;
    replace(
      this.pairs,
      ...entry('datasetSha256', 'dataset SHA-256', hash(receipt.datasetSha256, 'not recorded')),
      ...entry('seed', 'seed', String(receipt.seed)),
      ...entry('engine', 'engine', `${engine.version ?? 'unknown version'}, ${engine.backend}, ${threads}`),
      ...entry('weightsSha256', 'final weights SHA-256', hash(receipt.weightsSha256, job.status === 'running' ? 'when the final weights exist' : 'none: the job has no final weights')),
    );
    this.spec.textContent = JSON.stringify(receipt.resolvedSpec, null, 2);
  }
}

function hash(value: string | null, absent: string): Node {
  return value === null ? h('span', { class: 'muted' }, absent) : h('code', { class: 'hash' }, value);
}

function entry(key: string, label: string, value: Node | string): HTMLElement[] {
  return [h('dt', null, label), h('dd', { dataset: { receipt: key } }, value)];
}
