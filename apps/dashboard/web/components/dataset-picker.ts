import type { Dataset, TrainyardClient } from '@trainyard/client';
import { h, replace } from '../dom.ts';
import { errorBox } from './error-box.ts';
import { field, select } from './field.ts';

/** Datasets offered in the picker: built-ins first, then this many of the newest uploads. */
const MAX_LISTED = 300;

/** Choose a dataset (built-in or uploaded), or upload a CSV/JSON file and choose it. */
export class DatasetPicker {
  readonly element: HTMLElement;
  readonly select = h('select', { name: 'dataset' });
  private datasets = new Map<string, Dataset>();
  private readonly info = h('div', { class: 'muted dataset-info' });
  private readonly uploadForm: HTMLElement;

  constructor(
    private readonly client: TrainyardClient,
    private readonly onSelect: (dataset: Dataset | null) => void,
  ) {
    this.select.addEventListener('change', () => this.changed());
    this.uploadForm = this.buildUploadForm();
    this.element = h(
      'div',
      { class: 'dataset-picker' },
      field('Dataset', this.select, 'dataset'),
      this.info,
      h('details', { class: 'upload' }, h('summary', null, 'Upload a dataset (CSV or JSON)'), this.uploadForm),
    );
  }

  get selected(): Dataset | null {
    return this.datasets.get(this.select.value) ?? null;
  }

  /** Loads the list and selects `preferred` (or the first built-in). */
  async load(preferred: string | null): Promise<void> {
    const list: Dataset[] = [];
    let after: string | undefined;
    do {
      const page = await this.client.listDatasets({ limit: 100, after });
      list.push(...page.data);
      after = page.hasMore ? (page.nextCursor ?? undefined) : undefined;
    } while (after !== undefined && list.length < MAX_LISTED);
    this.datasets = new Map(list.map((dataset) => [dataset.id, dataset]));
    replace(this.select, ...list.map((dataset) => this.option(dataset)));
    this.select.value = preferred && this.datasets.has(preferred) ? preferred : (list.find((dataset) => dataset.id === 'builtin:iris') ?? list[0])?.id ?? '';
    this.changed();
  }

  private option(dataset: Dataset): HTMLOptionElement {
    const label = dataset.builtin ? `${dataset.name} (built-in)` : `${dataset.name} · ${dataset.id}`;
    return h('option', { value: dataset.id }, `${label} — ${dataset.rows} rows, ${dataset.features.length} features, ${dataset.task}`);
  }

  private changed(): void {
    const dataset = this.selected;
    replace(
      this.info,
      dataset === null
        ? 'No dataset selected.'
        : `${dataset.features.length} features → ${dataset.target}${dataset.classes ? ` (${dataset.classes.length} classes: ${dataset.classes.slice(0, 10).join(', ')}${dataset.classes.length > 10 ? ', …' : ''})` : ''}`,
    );
    this.onSelect(dataset);
  }

  private buildUploadForm(): HTMLElement {
    const file = h('input', { type: 'file', name: 'file', accept: '.csv,.json,text/csv,application/json', required: true });
    const name = h('input', { type: 'text', name: 'name', placeholder: 'default: the file name' });
    const target = h('select', { name: 'target', required: true });
    const task = select('task', [['classification', 'classification'], ['regression', 'regression']]);
    const status = h('div', { class: 'form-status' });
    const button = h('button', { type: 'button', class: 'secondary' }, 'Upload');

    // The target is one of the file's columns: read them here, before any upload.
    file.addEventListener('change', async () => {
      const chosen = file.files?.[0];
      if (!chosen) return;
      const columns = await columnsOf(chosen).catch(() => []);
      replace(target, ...columns.map((column) => h('option', { value: column }, column)));
      target.value = columns[columns.length - 1] ?? '';
      if (!name.value) name.value = chosen.name.replace(/\.(csv|json)$/i, '');
    });
    button.addEventListener('click', async () => {
      const chosen = file.files?.[0];
      if (!chosen) return replace(status, errorBox(new Error('Choose a file first.')));
      button.disabled = true;
      replace(status, 'Uploading…');
      try {
        const format = chosen.name.toLowerCase().endsWith('.json') ? 'json' : 'csv';
        const dataset = await this.client.uploadDatasetFile(chosen, chosen.name, {
          name: name.value.trim() || undefined,
          format,
          target: target.value,
          task: task.value as Dataset['task'],
        });
        this.datasets.set(dataset.id, dataset);
        this.select.append(this.option(dataset));
        this.select.value = dataset.id;
        this.changed();
        replace(status, h('span', { class: 'ok' }, `Uploaded ${dataset.name}: ${dataset.rows} rows.`));
      } catch (error) {
        replace(status, errorBox(error));
      } finally {
        button.disabled = false;
      }
    });
    return h(
      'div',
      { class: 'upload-form' },
      field('File', file, 'file'),
      field('Name', name, 'name'),
      field('Target column', target, 'target'),
      field('Task', task, 'task'),
      button,
      status,
    );
  }
}

/** Column names: a CSV's header row, or the keys of a JSON array's first object. */
async function columnsOf(file: File): Promise<string[]> {
  if (file.name.toLowerCase().endsWith('.json')) {
    const rows = JSON.parse(await file.text()) as Record<string, unknown>[];
    return Array.isArray(rows) && rows.length > 0 ? Object.keys(rows[0]) : [];
  }
  const head = await file.slice(0, 64 * 1024).text();
  const header = head.split(/\r?\n/, 1)[0] ?? '';
  return header.split(',').map((cell) => cell.trim().replace(/^"(.*)"$/, '$1')).filter(Boolean);
}
