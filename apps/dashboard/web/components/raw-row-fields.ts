import type { ColumnProfile, RawRow } from '@trainyard/client';
import { h } from '../dom.ts';

/** Feature columns as the service reads raw rows: empty = missing (null), numbers and booleans typed, the rest as written. */
export function rawValue(column: Pick<ColumnProfile, 'type'>, text: string): unknown {
  const value = text.trim();
  if (value === '') return null;
  if (column.type === 'number') return Number.isFinite(Number(value)) ? Number(value) : value;
  if (column.type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

interface FeatureControl {
  column: ColumnProfile;
  control: HTMLInputElement | HTMLSelectElement;
  /** A category's frequent values, offered as suggestions. */
  suggestions: HTMLDataListElement | null;
}

let datalists = 0;

/** One input per feature column of a real table, fit to its type (categories suggest their frequent values). */
export class RawRowFields {
  readonly element: HTMLElement;
  private readonly controls: FeatureControl[];

  constructor(columns: ColumnProfile[]) {
    this.controls = columns.map(featureControl);
    this.element = h(
      'div',
      { class: 'field-grid' },
      ...this.controls.map(({ column, control, suggestions }) => h('label', null, h('span', null, column.name, ' ', h('small', { class: 'muted' }, column.type)), control, suggestions)),
    );
  }

  row(): RawRow {
    return Object.fromEntries(this.controls.map(({ column, control }) => [column.name, rawValue(column, control.value)]));
  }
}

function featureControl(column: ColumnProfile): FeatureControl {
  const common = { name: column.name, dataset: { feature: column.name } };
  const plain = (control: HTMLInputElement | HTMLSelectElement): FeatureControl => ({ column, control, suggestions: null });
  if (column.type === 'boolean') return plain(h('select', common, ...['', 'true', 'false'].map((value) => h('option', { value }, value || 'missing'))));
  if (column.type === 'number') return plain(h('input', { ...common, type: 'number', step: 'any', placeholder: 'missing' }));
  if (column.type === 'datetime') return plain(h('input', { ...common, type: 'text', placeholder: 'YYYY-MM-DD' }));
  const values = column.topValues ?? [];
  if (values.length === 0) return plain(h('input', { ...common, type: 'text', placeholder: 'missing' }));
  const suggestions = h('datalist', { id: `feature-values-${++datalists}` }, ...values.map(({ value }) => h('option', { value })));
  return { column, control: h('input', { ...common, type: 'text', placeholder: 'missing', list: suggestions.id }), suggestions };
}
