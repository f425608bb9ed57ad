import type { JobSubmitBody } from '@trainyard/client';
import { h, replace } from '../dom.ts';
import { field, numberInput, select } from './field.ts';

type Layer = JobSubmitBody['model']['layers'][number];

const ACTIVATIONS = ['relu', 'leaky_relu', 'tanh', 'sigmoid', 'linear', 'softmax'] as const;
const MAX_ROWS = 16;

/** The model's dense layers, first hidden layer to output, edited as rows of units × activation. */
export class LayerStack {
  readonly element: HTMLElement;
  private readonly list = h('ol', { class: 'layer-list' });
  private readonly inputInfo = h('div', { class: 'muted layer-input' });
  private rows: { units: HTMLInputElement; activation: HTMLSelectElement }[] = [];

  constructor(
    layers: Layer[],
    private readonly onChange: () => void,
  ) {
    const add = h('button', { type: 'button', class: 'secondary small', onclick: () => this.insertHidden() }, '+ Add hidden layer');
    this.element = h('div', { class: 'layer-stack', dataset: { path: 'model.layers' } }, this.inputInfo, this.list, add);
    this.set(layers);
  }

  set(layers: Layer[]): void {
    this.rows = layers.map((layer) => this.controls(layer));
    this.render();
  }

  layers(): Layer[] {
    return this.rows.map((row) => ({ units: Number(row.units.value), activation: row.activation.value as Layer['activation'] }));
  }

  setInputSize(text: string): void {
    this.inputInfo.textContent = text;
  }

  /** Makes the output layer fit the dataset, keeping the hidden layers. */
  setOutput(layer: Layer): void {
    const last = this.rows[this.rows.length - 1];
    last.units.value = String(layer.units);
    last.activation.value = layer.activation;
    this.onChange();
  }

  private insertHidden(): void {
    if (this.rows.length >= MAX_ROWS) return;
    const previous = this.rows[this.rows.length - 2];
    this.rows.splice(this.rows.length - 1, 0, this.controls({ units: previous ? Number(previous.units.value) || 16 : 16, activation: 'relu' }));
    this.render();
    this.onChange();
  }

  private remove(index: number): void {
    if (this.rows.length <= 1) return;
    this.rows.splice(index, 1);
    this.render();
    this.onChange();
  }

  private controls(layer: Layer): { units: HTMLInputElement; activation: HTMLSelectElement } {
    const units = numberInput('units', { value: layer.units, step: '1', min: '1' });
    const activation = select('activation', ACTIVATIONS.map((name) => [name, name]), layer.activation);
    units.addEventListener('input', this.onChange);
    activation.addEventListener('change', this.onChange);
    return { units, activation };
  }

  private render(): void {
    replace(
      this.list,
      ...this.rows.map((row, index) => {
        const output = index === this.rows.length - 1;
        const path = `model.layers[${index}]`;
        return h(
          'li',
          { class: 'layer-row', dataset: { path, layer: String(index) } },
          h('span', { class: 'layer-name' }, output ? 'output' : `hidden ${index + 1}`),
          field('units', row.units, `${path}.units`),
          field('activation', row.activation, `${path}.activation`),
          h('button', { type: 'button', class: 'small ghost', title: 'Remove this layer', disabled: this.rows.length <= 1, onclick: () => this.remove(index) }, '✕'),
        );
      }),
    );
  }
}
