import { ApiRequestError, type JobSubmitBody, type TrainyardClient } from '@trainyard/client';
import { h } from '../dom.ts';
import { handleAuthError } from '../router.ts';
import { parametersOf, placeDetails, type ParameterRow } from '../sweeps/parameter-rows.ts';
import { sweepApi } from '../sweeps/sweep-api.ts';
import { OBJECTIVE_METRICS, type ObjectiveMetric, type Sweep, type SweepSubmitBody } from '../sweeps/types.ts';
import { FieldErrors } from './field-errors.ts';
import { ParameterTable } from './parameter-table.ts';
import { field, numberInput, readNumber, select } from './field.ts';

/** A small job to start from: iris trains in seconds. */
const DEFAULT_BASE: JobSubmitBody = {
  dataset: 'builtin:iris',
  model: { layers: [{ units: 8, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
  training: { epochs: 10, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.01 }, seed: 1 },
};

const DEFAULT_PARAMETERS: ParameterRow[] = [
  { path: 'training.optimizer.learningRate', kind: 'values', values: '0.1, 0.01', low: '', high: '' },
  { path: 'model.layers.0.units', kind: 'values', values: '4, 16', low: '', high: '' },
];

/** Metrics where higher is better; the goal follows the metric until the user picks one. */
const MAXIMIZED: ObjectiveMetric[] = ['valAccuracy', 'valR2'];

/**
 * Starts a sweep: the base job as JSON, the parameters table, method, trials, parallelism, objective and optional
 * ASHA pruning. The API's 422 details land beside the fields (and parameter rows) they name.
 */
export class SweepForm {
  readonly element: HTMLFormElement;
  private readonly banner = h('div');
  private readonly preview = h('pre', { class: 'spec' });
  private readonly base = h('textarea', { name: 'base', rows: 12, spellcheck: false }, JSON.stringify(DEFAULT_BASE, null, 2));
  private readonly parameters: ParameterTable;
  private readonly errors: FieldErrors;
  private goalChosen = false;
  private readonly controls = {
    method: select('method', [['grid', 'grid'], ['random', 'random']], 'grid'),
    trials: numberInput('trials', { placeholder: 'grid size', step: '1', min: '1' }),
    parallelism: numberInput('parallelism', { value: 2, step: '1', min: '1' }),
    seed: numberInput('seed', { placeholder: '0', step: '1', min: '0' }),
    metric: select('metric', OBJECTIVE_METRICS.map((metric) => [metric, metric]), 'valLoss'),
    goal: select('goal', [['minimize', 'minimize'], ['maximize', 'maximize']], 'minimize'),
    asha: h('input', { type: 'checkbox', name: 'asha' }),
    minEpochs: numberInput('minEpochs', { value: 2, step: '1', min: '1' }),
    reductionFactor: numberInput('reductionFactor', { value: 3, step: '1', min: '2' }),
  };

  constructor(private readonly client: TrainyardClient, private readonly onStarted: (sweep: Sweep) => void) {
    this.parameters = new ParameterTable(DEFAULT_PARAMETERS, () => this.update());
    const { controls } = this;
    controls.metric.addEventListener('change', () => {
      if (!this.goalChosen) controls.goal.value = MAXIMIZED.includes(controls.metric.value as ObjectiveMetric) ? 'maximize' : 'minimize';
    });
    controls.goal.addEventListener('change', () => (this.goalChosen = true));
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Start sweep');
    this.element = h(
      'form',
      {
        class: 'sweep-form',
        novalidate: true,
        oninput: () => this.update(),
        onchange: () => this.update(),
        onsubmit: (event: Event) => {
          event.preventDefault();
          void this.submit(submit);
        },
      },
      field('Base job (JSON: the body of POST /v1/jobs)', this.base, 'base'),
      h('div', { class: 'field-label' }, 'Parameters (dotted paths of the base job)'),
      this.parameters.element,
      h(
        'div',
        { class: 'field-grid' },
        field('Method', controls.method, 'method', 'grid: every combination'),
        field('Trials', controls.trials, 'trials', 'grid: its size by default'),
        field('Parallelism', controls.parallelism, 'parallelism', 'trials at once'),
        field('Seed', controls.seed, 'seed', 'random search'),
        field('Objective', controls.metric, 'objective.metric'),
        field('Goal', controls.goal, 'objective.goal'),
      ),
      h(
        'div',
        { class: 'checks', dataset: { path: 'pruning' } },
        field('ASHA pruning', controls.asha, 'pruning.type'),
        field('First rung (epochs)', controls.minEpochs, 'pruning.minEpochs'),
        field('Reduction factor', controls.reductionFactor, 'pruning.reductionFactor'),
      ),
      this.banner,
      h('div', { class: 'form-actions' }, submit),
      h('details', { class: 'spec-card' }, h('summary', null, 'Request body (JSON)'), this.preview),
    );
    this.errors = new FieldErrors(this.element, this.banner);
    this.update();
  }

  /** The body to send, or the reason the base job cannot be read. */
  private body(): SweepSubmitBody | SyntaxError {
    let base: JobSubmitBody;
    try {
      base = JSON.parse(this.base.value) as JobSubmitBody;
    } catch (error) {
      return error as SyntaxError;
    }
    const { controls } = this;
    const body: SweepSubmitBody = {
      base,
      parameters: parametersOf(this.parameters.values()),
      method: controls.method.value as SweepSubmitBody['method'],
      trials: readNumber(controls.trials),
      parallelism: readNumber(controls.parallelism),
      seed: readNumber(controls.seed),
      objective: { metric: controls.metric.value as ObjectiveMetric, goal: controls.goal.value as 'minimize' | 'maximize' },
      pruning: controls.asha.checked ? { type: 'asha', minEpochs: readNumber(controls.minEpochs)!, reductionFactor: readNumber(controls.reductionFactor)! } : null,
    };
    // JSON drops the undefined fields: the API fills its defaults in.
    return JSON.parse(JSON.stringify(body)) as SweepSubmitBody;
  }

  private update(): void {
    const body = this.body();
    this.preview.textContent = body instanceof SyntaxError ? `The base job is not JSON: ${body.message}` : JSON.stringify(body, null, 2);
    this.controls.minEpochs.disabled = this.controls.reductionFactor.disabled = !this.controls.asha.checked;
  }

  private async submit(button: HTMLButtonElement): Promise<void> {
    this.errors.clear();
    const body = this.body();
    if (body instanceof SyntaxError) {
      // Not sent: shown as the API would show a bad field (status 0: no request was made).
      this.errors.show(new ApiRequestError(0, 'invalid_json', 'The base job is not valid JSON', [{ path: 'base', message: body.message }]));
      return;
    }
    button.disabled = true;
    try {
      this.onStarted(await sweepApi.submit(this.client, body));
    } catch (error) {
      if (!handleAuthError(error)) {
        this.errors.show(error instanceof ApiRequestError ? new ApiRequestError(error.status, error.code, error.message, placeDetails(error.details, this.parameters.paths())) : error);
        this.banner.scrollIntoView({ block: 'nearest' });
      }
      button.disabled = false;
    }
  }
}
