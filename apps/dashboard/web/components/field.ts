import { h } from '../dom.ts';

/** A labelled control whose container names the body path it fills (for FieldErrors). */
export function field(label: string, control: HTMLElement, path: string, hint?: string): HTMLElement {
  return h('label', { class: 'field', dataset: { path } }, h('span', { class: 'field-label' }, label), control, hint ? h('small', { class: 'hint' }, hint) : null);
}

export function numberInput(name: string, options: { value?: number; placeholder?: string; step?: string; min?: string } = {}): HTMLInputElement {
  return h('input', { type: 'number', name, value: options.value === undefined ? '' : String(options.value), placeholder: options.placeholder ?? '', step: options.step ?? 'any', min: options.min });
}

export function select(name: string, options: [string, string][], selected = ''): HTMLSelectElement {
  return h('select', { name }, ...options.map(([value, label]) => h('option', { value, selected: value === selected }, label)));
}

/** The number in an input, or undefined when it is empty (the API's default then applies). */
export function readNumber(input: HTMLInputElement): number | undefined {
  return input.value.trim() === '' ? undefined : Number(input.value);
}
