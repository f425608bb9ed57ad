import type { Snapshot, TrainyardClient, WeightsFormat } from '@trainyard/client';
import { h, replace } from '../dom.ts';
import { saveFile } from '../download.ts';
import { bytes, num, percent, time } from '../format.ts';
import { errorBox } from './error-box.ts';

const FORMATS: [WeightsFormat, string][] = [['safetensors', 'safetensors'], ['json', 'JSON'], ['onnx', 'ONNX']];

const TYPES: Record<WeightsFormat, string> = { safetensors: 'application/octet-stream', json: 'application/json', onnx: 'application/octet-stream' };

/**
 * A job's snapshots, newest first, each with safetensors, JSON and ONNX download buttons; once the job has
 * final weights, the same three for them (`GET /v1/jobs/:id/weights`).
 */
export class SnapshotsTable {
  readonly element: HTMLElement;
  private readonly body = h('tbody');
  private readonly message = h('div');
  private readonly final = h('div', { class: 'final-weights', hidden: true }, h('span', { class: 'muted' }, 'Final weights:'));

  constructor(
    private readonly client: TrainyardClient,
    private readonly jobId: string,
  ) {
    this.element = h(
      'section',
      { class: 'card snapshots' },
      h('div', { class: 'card-head' }, h('h2', null, 'Snapshots'), this.final),
      this.message,
      h('table', null, h('thead', null, h('tr', null, ...['Snapshot', 'Kind', 'Epoch', 'Loss', 'Val. loss', 'Val. accuracy', 'Size', 'Created', 'Weights'].map((title) => h('th', null, title)))), this.body),
    );
    for (const [format, label] of FORMATS) {
      this.final.append(h('button', { class: 'small secondary', dataset: { finalDownload: format }, onclick: () => void this.save(() => this.client.jobWeights(this.jobId, { format }), `${this.jobId}.${format}`, format) }, label));
    }
    this.show([]);
  }

  show(snapshots: Snapshot[]): void {
    this.final.hidden = !snapshots.some((snapshot) => snapshot.kind === 'final');
    if (snapshots.length === 0) {
      replace(this.body, h('tr', null, h('td', { colspan: '9', class: 'empty' }, 'No snapshots yet.')));
      return;
    }
    replace(this.body, ...snapshots.map((snapshot) => this.row(snapshot)));
  }

  private row(snapshot: Snapshot): HTMLElement {
    const name = (format: WeightsFormat) => `${this.jobId}-${snapshot.kind}-epoch${snapshot.epoch}.${format}`;
    const button = ([format, label]: [WeightsFormat, string]) =>
      h('button', { class: 'small secondary', dataset: { download: format }, onclick: () => void this.save(() => this.client.snapshotWeights(snapshot.id, format), name(format), format) }, label);
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
      h('td', { class: 'actions' }, ...FORMATS.map(button)),
    );
  }

  /** Weights the API can refuse (ONNX of weights it cannot express: 422 not_exportable), so errors show above the table. */
  private async save(read: () => Promise<Uint8Array>, fileName: string, format: WeightsFormat): Promise<void> {
    try {
      saveFile(await read(), fileName, TYPES[format]);
      replace(this.message);
    } catch (error) {
      replace(this.message, errorBox(error));
    }
  }
}
