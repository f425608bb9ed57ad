import type { Dataset, TrainyardClient } from '@trainyard/client';
import { h, replace } from '../dom.ts';
import { field } from './field.ts';
import { UploadForm } from './upload-form.ts';

/** Datasets offered in the picker: built-ins first, then this many of the newest uploads. */
const MAX_LISTED = 300;

/** Choose a dataset (built-in or uploaded), or upload a table and choose it. */
export class DatasetPicker {
  readonly element: HTMLElement;
  readonly select = h('select', { name: 'dataset' });
  private datasets = new Map<string, Dataset>();
  private readonly info = h('div', { class: 'muted dataset-info' });
  private readonly uploadForm: UploadForm;

  constructor(
    private readonly client: TrainyardClient,
    private readonly onSelect: (dataset: Dataset | null) => void,
  ) {
    this.select.addEventListener('change', () => this.changed());
    this.uploadForm = new UploadForm(client, (dataset) => this.uploaded(dataset));
    this.element = h(
      'div',
      { class: 'dataset-picker' },
      field('Dataset', this.select, 'dataset'),
      this.info,
      h('details', { class: 'upload' }, h('summary', null, 'Upload a dataset (CSV, JSON, JSON Lines, Parquet)'), this.uploadForm.element),
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

  private uploaded(dataset: Dataset): void {
    this.datasets.set(dataset.id, dataset);
    this.select.append(this.option(dataset));
    this.select.value = dataset.id;
    this.changed();
  }

  private changed(): void {
    const dataset = this.selected;
    replace(
      this.info,
      dataset === null
        ? 'No dataset selected.'
        : `${dataset.features.length} features → ${dataset.target}${dataset.classes ? ` (${dataset.classes.length} classes: ${dataset.classes.slice(0, 10).join(', ')}${dataset.classes.length > 10 ? ', …' : ''})` : ''} · `,
      dataset === null ? null : h('a', { href: `/datasets/${encodeURIComponent(dataset.id)}` }, 'columns'),
    );
    this.onSelect(dataset);
  }
}
