import { h, replace } from '../dom.ts';
import type { ParameterRow } from '../sweeps/parameter-rows.ts';
import type { ParameterKind } from '../sweeps/types.ts';
import { select } from './field.ts';

const KINDS: [ParameterKind, string][] = [['values', 'values'], ['uniform', 'uniform'], ['logUniform', 'log-uniform'], ['intUniform', 'integers']];
const MAX_ROWS = 12;

interface RowControls {
  element: HTMLElement;
  path: HTMLInputElement;
  kind: HTMLSelectElement;
  values: HTMLInputElement;
  low: HTMLInputElement;
  high: HTMLInputElement;
}

/**
 * The sweep's parameters as rows of path, kind and values (or range). Each row's container carries
 * `data-path="parameters.<its path>"`, so the API's details about that path land on it.
 */
export class ParameterTable {
  readonly element: HTMLElement;
  private readonly list = h('div', { class: 'parameter-rows' });
  private rows: RowControls[] = [];

  constructor(initial: ParameterRow[], private readonly onChange: () => void) {
    const add = h('button', { type: 'button', class: 'secondary small', onclick: () => this.add() }, '+ Add parameter');
    this.element = h('div', { class: 'parameter-table', dataset: { path: 'parameters' } }, this.list, add);
    this.rows = initial.map((row) => this.controls(row));
    this.render();
  }

  values(): ParameterRow[] {
    return this.rows.map((row) => ({ path: row.path.value, kind: row.kind.value as ParameterKind, values: row.values.value, low: row.low.value, high: row.high.value }));
  }

  paths(): string[] {
    return this.rows.map((row) => row.path.value.trim()).filter((path) => path !== '');
  }

  private add(): void {
    if (this.rows.length >= MAX_ROWS) return;
    this.rows.push(this.controls({ path: '', kind: 'values', values: '', low: '', high: '' }));
    this.render();
    this.rows[this.rows.length - 1].path.focus();
    this.onChange();
  }

  private remove(row: RowControls): void {
    this.rows = this.rows.filter((candidate) => candidate !== row);
    this.render();
    this.onChange();
  }

  private controls(row: ParameterRow): RowControls {
    const path = h('input', { name: 'path', value: row.path, placeholder: 'training.optimizer.learningRate', class: 'mono', spellcheck: false, autocomplete: 'off' });
    const kind = select('kind', KINDS, row.kind);
    const values = h('input', { name: 'values', value: row.values, placeholder: '0.1, 0.01, 0.001' });
    const low = h('input', { name: 'low', type: 'number', step: 'any', value: row.low, placeholder: 'low' });
    const high = h('input', { name: 'high', type: 'number', step: 'any', value: row.high, placeholder: 'high' });
    const element = h('div', { class: 'parameter-row field' });
    const controls: RowControls = { element, path, kind, values, low, high };
    const sync = () => {
      element.dataset.path = `parameters.${path.value.trim()}`;
      const range = kind.value !== 'values';
      values.hidden = range;
      low.hidden = high.hidden = !range;
    };
    path.addEventListener('input', sync);
    kind.addEventListener('change', sync);
    sync();
    const remove = h('button', { type: 'button', class: 'small ghost', title: 'Remove this parameter', onclick: () => this.remove(controls) }, '✕');
    replace(element, h('div', { class: 'parameter-controls' }, path, kind, values, low, high, remove));
    return controls;
  }

  private render(): void {
    replace(this.list, ...(this.rows.length === 0 ? [h('p', { class: 'muted' }, 'No parameter: add the paths of the job to vary.')] : this.rows.map((row) => row.element)));
  }
}
