import type { ColumnOverrides, ErrorDetail } from '@trainyard/client';
import { h, replace } from '../dom.ts';
import { describeDetail } from './error-detail.ts';

const TYPES = ['number', 'boolean', 'datetime', 'category', 'text', 'ignore'] as const;

/**
 * A file's columns, each with a type to force on upload (`auto` lets the service infer it). The API's
 * data problems that name a column are shown on that column's row.
 */
export class ColumnTypes {
  readonly element = h('div', { class: 'column-types' });
  private rows = new Map<string, { row: HTMLElement; select: HTMLSelectElement; problems: HTMLElement }>();

  /** Lists `columns` (empty: no file yet; null: not readable here, as Parquet), marking `target`. */
  set(columns: string[] | null, target: string): void {
    this.rows = new Map((columns ?? []).map((name) => [name, this.row(name)]));
    if (columns === null || columns.length === 0) {
      const note = columns === null ? 'The service reads the columns of this file and infers their types.' : 'Choose a file to list its columns.';
      replace(this.element, h('p', { class: 'muted' }, note));
      return;
    }
    replace(
      this.element,
      h('table', { class: 'compact' },
        h('thead', null, h('tr', null, h('th', null, 'Column'), h('th', null, 'Type'), h('th', null, ''))),
        h('tbody', null, ...[...this.rows.values()].map((entry) => entry.row)),
      ),
    );
    this.markTarget(target);
  }

  markTarget(target: string): void {
    for (const [name, { row }] of this.rows) row.classList.toggle('is-target', name === target);
  }

  /** The forced types, or undefined when every column is left to inference. */
  overrides(): ColumnOverrides | undefined {
    const chosen = [...this.rows].filter(([, { select }]) => select.value !== '').map(([name, { select }]) => [name, select.value]);
    return chosen.length === 0 ? undefined : (Object.fromEntries(chosen) as ColumnOverrides);
  }

  clearProblems(): void {
    for (const { row, problems } of this.rows.values()) {
      row.classList.remove('has-error');
      replace(problems);
    }
  }

  /** Puts each detail on its column's row; answers those that name no listed column. */
  showProblems(details: ErrorDetail[]): ErrorDetail[] {
    this.clearProblems();
    return details.filter((detail) => {
      const entry = detail.column === undefined ? undefined : this.rows.get(detail.column);
      if (entry === undefined) return true;
      entry.row.classList.add('has-error');
      entry.problems.append(h('div', { class: 'field-error', role: 'alert' }, describeDetail(detail, { named: false })));
      return false;
    });
  }

  private row(name: string): { row: HTMLElement; select: HTMLSelectElement; problems: HTMLElement } {
    const select = h('select', { name: 'column-type', 'aria-label': `Type of ${name}` }, h('option', { value: '' }, 'auto'), ...TYPES.map((type) => h('option', { value: type }, type)));
    const problems = h('td', { class: 'column-problems' });
    const row = h('tr', { dataset: { column: name } }, h('td', null, name, h('span', { class: 'badge target-badge' }, 'target')), h('td', null, select), problems);
    return { row, select, problems };
  }
}
