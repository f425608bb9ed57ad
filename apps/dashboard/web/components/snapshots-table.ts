import type { Snapshot, TrainyardClient, WeightsFormat } from '@trainyard/client';
import { h, replace } from '../dom.ts';
import { saveFile } from '../download.ts';
import { bytes, num, percent, time } from '../format.ts';
import { errorBox } from './error-box.ts';

/** A job's snapshots, newest first, each with safetensors and JSON download buttons. */
export class SnapshotsTable {
  readonly element: HTMLElement;
  private readonly body = h('tbody');
  private readonly message = h('div');

  constructor(
    private readonly client: TrainyardClient,
    private readonly jobId: string,
  ) {
    this.element = h(
      'section',
      { class: 'card snapshots' },
      h('h2', null, 'Snapshots'),
      this.message,
      h('table', null, h('thead', null, h('tr', null, ...['Snapshot', 'Kind', 'Epoch', 'Loss', 'Val. loss', 'Val. accuracy', 'Size', 'Created', 'Weights'].map((title) => h('th', null, title)))), this.body),
    );
    this.show([]);
  }

  show(snapshots: Snapshot[]): void {
    if (snapshots.length === 0) {
      replace(this.body, h('tr', null, h('td', { colspan: '9', class: 'empty' }, 'No snapshots yet.')));
      return;
    }
    replace(this.body, ...snapshots.map((snapshot) => this.row(snapshot)));
  }

  private row(snapshot: Snapshot): HTMLElement {
    const button = (format: WeightsFormat, label: string) =>
      h('button', { class: 'small secondary', dataset: { download: format }, onclick: () => void this.download(snapshot, format) }, label);
    return h(
      'tr',
      { dataset: { snapshotId: snapshot.id, kind: snapshot.kind } },
      h('td', { class: 'mono' }, snapshot.id),
      h('td', null, h('span', { class: `badge kind-${snapshot.kind}` }, snapshot.kind)),
      h('td', { class: 'num' }, String(snapshot.epoch)),
      h('td', { class: 'num' }, num(snapshot.metrics?.loss)),
      h('td', { class: 'num' }, num(snapshot.metrics?.valLoss)),
      h('td', { class: 'num' }, percent(snapshot.metrics?.valAccuracy)),
      h('td', { class: 'num' }, bytes(snapshot.sizeBytes)),
      h('td', null, time(snapshot.createdAt)),
      h('td', { class: 'actions' }, button('safetensors', 'safetensors'), button('json', 'JSON')),
    );
  }

  private async download(snapshot: Snapshot, format: WeightsFormat): Promise<void> {
    try {
      const data = await this.client.snapshotWeights(snapshot.id, format);
      const name = `${this.jobId}-${snapshot.kind}-epoch${snapshot.epoch}.${format}`;
      saveFile(data, name, format === 'json' ? 'application/json' : 'application/octet-stream');
      replace(this.message);
    } catch (error) {
      replace(this.message, errorBox(error));
    }
  }
}
