import type { ColumnProfile } from '@trainyard/client';
import { h } from '../dom.ts';
import { percent } from '../format.ts';

/** A column's most frequent values as small bars, each as long as its share of all `rows`, with its count. */
export function topValues(column: ColumnProfile, rows: number): HTMLElement | null {
  const values = column.topValues ?? [];
  if (values.length === 0) return null;
  const others = column.distinct - values.length;
  return h(
    'div',
    { class: 'top-values' },
    ...values.map(({ value, count }) =>
      h(
        'div',
        { class: 'top-value', dataset: { value, count: String(count) }, title: `${value}: ${count} rows (${percent(rows > 0 ? count / rows : 0)})` },
        h('span', { class: 'top-value-name' }, value),
        h('span', { class: 'top-value-bar' }, h('span', { style: `width: ${rows > 0 ? (100 * count) / rows : 0}%` })),
        h('span', { class: 'num top-value-count' }, count.toLocaleString('en-US')),
      ),
    ),
    others > 0 ? h('div', { class: 'muted top-values-more' }, `+ ${others.toLocaleString('en-US')} more value${others === 1 ? '' : 's'}`) : null,
  );
}
