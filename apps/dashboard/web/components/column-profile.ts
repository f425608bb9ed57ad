import type { ColumnProfile, Dataset } from '@trainyard/client';
import { h } from '../dom.ts';
import { date, days, num, percent } from '../format.ts';
import { topValues } from './top-values.ts';

const HEADINGS = ['Column', 'Type', 'Role', 'Missing', 'Distinct', 'Mean', 'Std', 'Min', 'Max', 'Top values'];

/** The dataset's columns as the service typed them: gaps, distinct values, summary statistics, frequent values. */
export function columnProfile(dataset: Dataset): HTMLElement {
  const columns = dataset.columns ?? [];
  return h(
    'table',
    { class: 'column-profile' },
    h('thead', null, h('tr', null, ...HEADINGS.map((title) => h('th', null, title)))),
    h('tbody', null, ...columns.map((column) => row(column, dataset.rows))),
  );
}

function row(column: ColumnProfile, rows: number): HTMLElement {
  const stats = statistics(column);
  return h(
    'tr',
    { dataset: { column: column.name, type: column.type, role: column.role }, class: `role-${column.role}` },
    h('td', { class: 'column-name' }, column.name),
    h('td', { dataset: { cell: 'type' } }, h('span', { class: `badge type-${column.type}` }, column.type)),
    h('td', { dataset: { cell: 'role' } }, column.role),
    h('td', { class: 'num', dataset: { cell: 'missing' } }, h('span', { class: 'count' }, column.missing.toLocaleString('en-US')), ' ', h('span', { class: 'muted' }, `(${percent(rows > 0 ? column.missing / rows : 0)})`)),
    h('td', { class: 'num', dataset: { cell: 'distinct' } }, column.distinct.toLocaleString('en-US')),
    ...(['mean', 'std', 'min', 'max'] as const).map((key) => h('td', { class: 'num', dataset: { cell: key } }, stats[key])),
    h('td', { class: 'top-values-cell', dataset: { cell: 'topValues' } }, topValues(column, rows)),
  );
}

/** Numbers as numbers; datetimes (Unix seconds) as dates, their spread in days; nothing for the other types. */
function statistics(column: ColumnProfile): Record<'mean' | 'std' | 'min' | 'max', string> {
  if (column.type === 'datetime') {
    // A column of dates (every value at midnight, as its ends are) shows its mean as a date too.
    const dateOnly = [column.min, column.max].every((value) => value !== undefined && value % 86_400 === 0);
    return { mean: date(column.mean, dateOnly), std: days(column.std), min: date(column.min), max: date(column.max) };
  }
  if (column.type === 'number') return { mean: num(column.mean), std: num(column.std), min: num(column.min), max: num(column.max) };
  return { mean: '', std: '', min: '', max: '' };
}
