import { ApiRequestError, type Dataset, type TrainyardClient } from '@trainyard/client';
import { h, replace } from '../dom.ts';
import { columnsOf, formatOf } from '../file-columns.ts';
import { ColumnTypes } from './column-types.ts';
import { errorBox } from './error-box.ts';
import { field, select } from './field.ts';

const ACCEPT = '.csv,.tsv,.txt,.json,.jsonl,.ndjson,.parquet,.gz,text/csv,application/json,application/gzip';

/**
 * Upload a table as it is (CSV, JSON, JSON Lines, Parquet, any of them gzipped): the columns are read
 * here from the file's head, to pick the target and force column types; the API's data problems land on
 * the columns they name. A div, not a form: it may sit inside the submit page's form.
 */
export class UploadForm {
  readonly element: HTMLElement;
  private readonly file = h('input', { type: 'file', name: 'file', accept: ACCEPT, required: true });
  private readonly name = h('input', { type: 'text', name: 'name', placeholder: 'default: the file name' });
  private readonly targetSelect = h('select', { name: 'target', required: true });
  private readonly targetText = h('input', { type: 'text', name: 'target', placeholder: 'the label column', hidden: true });
  private readonly task = select('task', [['', 'auto (from the target)'], ['classification', 'classification'], ['regression', 'regression']]);
  private readonly columns = new ColumnTypes();
  private readonly status = h('div', { class: 'form-status' });
  private readonly button = h('button', { type: 'button', class: 'secondary' }, 'Upload');

  constructor(
    private readonly client: TrainyardClient,
    private readonly onUploaded: (dataset: Dataset) => void,
  ) {
    this.file.addEventListener('change', () => void this.fileChosen());
    this.targetSelect.addEventListener('change', () => this.columns.markTarget(this.target));
    this.button.addEventListener('click', () => void this.upload());
    this.columns.set([], '');
    this.element = h(
      'div',
      { class: 'upload-form' },
      h(
        'div',
        { class: 'upload-fields' },
        field('File', this.file, 'file', 'CSV, JSON, JSON Lines or Parquet; .gz too'),
        field('Name', this.name, 'name'),
        h('label', { class: 'field', dataset: { path: 'target' } }, h('span', { class: 'field-label' }, 'Target column'), this.targetSelect, this.targetText),
        field('Task', this.task, 'task'),
      ),
      h('details', { class: 'column-overrides', open: true }, h('summary', null, 'Column types'), this.columns.element),
      h('div', { class: 'form-actions' }, this.button),
      this.status,
    );
  }

  private get target(): string {
    return (this.targetText.hidden ? this.targetSelect.value : this.targetText.value).trim();
  }

  /** The target is one of the file's columns: read them here, before any upload. */
  private async fileChosen(): Promise<void> {
    const chosen = this.file.files?.[0];
    if (!chosen) return;
    const names = await columnsOf(chosen).catch(() => null);
    const known = names !== null && names.length > 0;
    this.targetSelect.hidden = !known;
    this.targetText.hidden = known;
    replace(this.targetSelect, ...(names ?? []).map((column) => h('option', { value: column }, column)));
    if (known) this.targetSelect.value = names[names.length - 1];
    this.columns.set(known ? names : null, this.target);
    replace(this.status);
    if (!this.name.value) this.name.value = chosen.name.replace(/(\.(csv|tsv|txt|json|jsonl|ndjson|parquet))?(\.gz)?$/i, '');
  }

  private async upload(): Promise<void> {
    const chosen = this.file.files?.[0];
    if (!chosen) return replace(this.status, errorBox(new Error('Choose a file first.')));
    if (this.target === '') return replace(this.status, errorBox(new Error('Name the target column.')));
    this.button.disabled = true;
    this.columns.clearProblems();
    replace(this.status, 'Uploading…');
    try {
      const dataset = await this.client.uploadDatasetFile(chosen, chosen.name, {
        name: this.name.value.trim() || undefined,
        format: formatOf(chosen.name),
        target: this.target,
        task: (this.task.value || undefined) as Dataset['task'] | undefined,
        columns: this.columns.overrides(),
      });
      replace(this.status, h('span', { class: 'ok' }, `Uploaded ${dataset.name}: ${dataset.rows} rows. `), h('a', { href: `/datasets/${encodeURIComponent(dataset.id)}` }, 'See its columns'));
      this.onUploaded(dataset);
    } catch (error) {
      this.showError(error);
    } finally {
      this.button.disabled = false;
    }
  }

  /** Problems on a listed column go beside it; the message and the rest above the button. */
  private showError(error: unknown): void {
    if (!(error instanceof ApiRequestError)) return replace(this.status, errorBox(error));
    const unplaced = this.columns.showProblems(error.details);
    const placed = error.details.length - unplaced.length;
    replace(
      this.status,
      errorBox(new ApiRequestError(error.status, error.code, error.message, unplaced)),
      placed > 0 ? h('p', { class: 'muted' }, `The problems of ${placed === 1 ? 'one column are' : `${placed} columns are`} shown beside ${placed === 1 ? 'it' : 'them'} under “Column types”.`) : null,
    );
  }
}
