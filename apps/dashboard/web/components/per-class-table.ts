import type { Evaluation } from '@trainyard/client';
import { h } from '../dom.ts';
import { num } from '../format.ts';

type PerClass = NonNullable<Evaluation['classification']>['perClass'][number];

/** Precision, recall, F1 and support of each class. */
export function perClassTable(rows: PerClass[]): HTMLElement {
  return h(
    'table',
    { class: 'per-class compact' },
    h('thead', null, h('tr', null, h('th', null, 'Class'), ...['Precision', 'Recall', 'F1', 'Support'].map((title) => h('th', { class: 'num' }, title)))),
    h(
      'tbody',
      null,
      ...rows.map((row) =>
        h(
          'tr',
          { dataset: { label: row.label } },
          h('th', { scope: 'row' }, row.label),
          h('td', { class: 'num', dataset: { cell: 'precision' } }, num(row.precision)),
          h('td', { class: 'num', dataset: { cell: 'recall' } }, num(row.recall)),
          h('td', { class: 'num', dataset: { cell: 'f1' } }, num(row.f1)),
          h('td', { class: 'num', dataset: { cell: 'support' } }, String(row.support)),
        ),
      ),
    ),
  );
}
