import type { ColumnProfile, Dataset, Job, PredictRequest, Prediction, TrainyardClient } from '@trainyard/client';
import { h, replace } from '../dom.ts';
import { num, percent } from '../format.ts';
import { DigitCanvas } from './digit-canvas.ts';
import { errorBox } from './error-box.ts';
import { RawRowFields, rawValue } from './raw-row-fields.ts';

/** Above this many features, one field per feature would be a wall: rows are pasted instead. */
const MAX_FIELDS = 32;

/** Runs the job's final weights on inputs: a drawn digit for builtin:mnist, feature fields or pasted rows otherwise. */
export class PredictForm {
  readonly element: HTMLElement;
  private readonly body = h('div');
  private readonly result = h('div', { class: 'predict-result', 'aria-live': 'polite' });

  constructor(
    private readonly client: TrainyardClient,
    private readonly job: Job,
    private readonly dataset: Dataset,
  ) {
    this.element = h('section', { class: 'card predict' }, h('h2', null, 'Predict'), this.body, this.result);
    this.setJob(job);
  }

  /** Shows the form once the job has final weights. */
  setJob(job: Job): void {
    if (job.finalSnapshot === null) {
      replace(this.body, h('p', { class: 'muted' }, job.status === 'failed' || job.status === 'cancelled' ? 'This job has no final weights.' : 'Available when training has finished.'));
      return;
    }
    if (this.body.dataset.ready) return;
    this.body.dataset.ready = 'true';
    replace(this.body, this.form());
  }

  /** Real tables take raw rows by column name (categories, dates, gaps); matrices take numbers in feature order. */
  private form(): HTMLElement {
    if (this.dataset.id === 'builtin:mnist') return this.digitForm();
    const columns = (this.dataset.columns ?? []).filter((column) => column.role === 'feature');
    if (columns.length > 0) return columns.length <= MAX_FIELDS ? this.rawFieldsForm(columns) : this.rowsForm((cells) => rawRow(columns, cells));
    return this.dataset.features.length <= MAX_FIELDS ? this.fieldsForm() : this.rowsForm((cells) => cells.map(Number));
  }

  private rawFieldsForm(columns: ColumnProfile[]): HTMLElement {
    const fields = new RawRowFields(columns);
    return h(
      'form',
      {
        class: 'predict-fields',
        onsubmit: (event: Event) => {
          event.preventDefault();
          void this.run({ rows: [fields.row()] });
        },
      },
      h('p', { class: 'muted' }, 'Values as in the uploaded file; leave a field empty for a missing value.'),
      fields.element,
      h('button', { type: 'submit', class: 'primary' }, 'Predict'),
    );
  }

  private digitForm(): HTMLElement {
    const pad: DigitCanvas = new DigitCanvas(() => undefined);
    const predict = h('button', { type: 'button', class: 'primary', onclick: () => void this.run([Array.from(pad.pixels())]) }, 'Predict');
    return h('div', null, h('p', { class: 'muted' }, 'Draw a digit, then predict.'), pad.element, predict);
  }

  private fieldsForm(): HTMLElement {
    const inputs = this.dataset.features.map((name) => h('input', { type: 'number', step: 'any', name, required: true, dataset: { feature: name } }));
    return h(
      'form',
      {
        class: 'predict-fields',
        onsubmit: (event: Event) => {
          event.preventDefault();
          void this.run([inputs.map((input) => Number(input.value))]);
        },
      },
      h('div', { class: 'field-grid' }, ...inputs.map((input, i) => h('label', null, this.dataset.features[i], input))),
      h('button', { type: 'submit', class: 'primary' }, 'Predict'),
    );
  }

  private rowsForm(toRow: (cells: string[]) => number[] | Record<string, unknown>): HTMLElement {
    const area = h('textarea', { rows: 6, placeholder: `one row per line: ${this.dataset.features.length} comma-separated values`, name: 'rows' });
    return h(
      'form',
      {
        onsubmit: (event: Event) => {
          event.preventDefault();
          const rows = area.value
            .split('\n')
            .filter((line) => line.trim() !== '')
            .map((line) => toRow(line.split(',').map((cell) => cell.trim())));
          void this.run(rows.every(Array.isArray) ? (rows as number[][]) : { rows: rows as Record<string, unknown>[] });
        },
      },
      area,
      h('button', { type: 'submit', class: 'primary' }, 'Predict'),
    );
  }

  private async run(inputs: PredictRequest | number[][]): Promise<void> {
    replace(this.result, h('span', { class: 'muted' }, 'Predicting…'));
    try {
      this.show(await this.client.predict(this.job.id, inputs));
    } catch (error) {
      replace(this.result, errorBox(error));
    }
  }

  private show(prediction: Prediction): void {
    const classes = this.dataset.classes;
    const outputs = prediction.outputs[0]?.length ?? 0;
    const names = classes && classes.length === outputs ? classes : outputs === 1 ? [this.dataset.target] : Array.from({ length: outputs }, (_, i) => `output ${i}`);
    if (prediction.outputs.length === 1 && prediction.labels) {
      // One classified row: the answer large, then every class's probability as a bar.
      const row = prediction.outputs[0];
      replace(
        this.result,
        h('div', { class: 'predicted-label', dataset: { label: prediction.labels[0] } }, prediction.labels[0]),
        h('div', { class: 'class-bars' }, ...row.map((value, i) => h('div', { class: 'class-bar' }, h('span', null, names[i]), h('div', { class: 'bar' }, h('div', { style: `width: ${Math.max(0, Math.min(1, value)) * 100}%` })), h('span', { class: 'num' }, percent(value))))),
      );
      return;
    }
    replace(
      this.result,
      h(
        'table',
        null,
        h('thead', null, h('tr', null, h('th', null, '#'), prediction.labels ? h('th', null, 'Label') : null, ...names.map((name) => h('th', null, name)))),
        h('tbody', null, ...prediction.outputs.map((row, i) => h('tr', null, h('td', null, String(i + 1)), prediction.labels ? h('td', null, prediction.labels[i]) : null, ...row.map((value) => h('td', { class: 'num' }, num(value)))))),
      ),
    );
  }
}

/** A pasted line's cells, in feature order, as a raw row by column name. */
function rawRow(columns: ColumnProfile[], cells: string[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((column, i) => [column.name, rawValue(column, cells[i] ?? '')]));
}
