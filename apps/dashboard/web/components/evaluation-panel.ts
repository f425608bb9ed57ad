import { ApiRequestError, type Evaluation, type Job, type Snapshot, type TrainyardClient } from '@trainyard/client';
import { h, replace } from '../dom.ts';
import { num, percent } from '../format.ts';
import { confusionMatrix } from './confusion-matrix.ts';
import { errorBox } from './error-box.ts';
import { importanceBars } from './importance-bars.ts';
import { perClassTable } from './per-class-table.ts';
import { scatterPlot } from './scatter-plot.ts';

type Classification = NonNullable<Evaluation['classification']>;
type Regression = NonNullable<Evaluation['regression']>;

const SPLITS: Record<Evaluation['split'], string> = {
  test: 'the held-out test split',
  validation: 'the validation split',
  train: 'the training rows (the job held out none)',
};

/**
 * A succeeded job's evaluation on its held-out rows: scores, a confusion matrix and per-class scores or
 * regression errors with predicted-vs-actual, and permutation importance. Any snapshot of the job can be
 * evaluated; the final one is by default.
 */
export class EvaluationPanel {
  readonly element: HTMLElement;
  private readonly summary = h('p', { class: 'muted evaluation-summary' });
  private readonly body = h('div', { class: 'evaluation-body' });
  private readonly snapshot = h('select', { name: 'evaluation-snapshot', 'aria-label': 'Snapshot to evaluate', hidden: true });
  private requested = false;
  /** The dataset's target, to label the regression plot's axes. */
  private target = '';

  constructor(
    private readonly client: TrainyardClient,
    private readonly jobId: string,
  ) {
    this.snapshot.addEventListener('change', () => void this.load(this.snapshot.value || undefined));
    this.element = h('section', { class: 'card evaluation', dataset: { state: 'waiting' } }, h('div', { class: 'card-head' }, h('h2', null, 'Evaluation'), this.snapshot), this.summary, this.body);
    replace(this.body, h('p', { class: 'muted' }, 'Available when the job succeeds.'));
  }

  /** Evaluates once the job has succeeded; until then says when it will. */
  show(job: Job, target = this.target): void {
    this.target = target;
    if (job.status !== 'succeeded') {
      const ended = job.status === 'failed' || job.status === 'cancelled';
      replace(this.body, h('p', { class: 'muted' }, ended ? `No evaluation: the job ${job.status}.` : 'Available when the job succeeds.'));
      return;
    }
    if (this.requested) return;
    this.requested = true;
    void this.load();
  }

  /** The job's snapshots, offered for evaluation (the final one first, as the default). */
  setSnapshots(snapshots: Snapshot[]): void {
    const chosen = this.snapshot.value;
    const options = [h('option', { value: '' }, 'final weights'), ...snapshots.map((snapshot) => h('option', { value: snapshot.id }, `${snapshot.kind}, epoch ${snapshot.epoch}`))];
    replace(this.snapshot, ...options);
    this.snapshot.value = snapshots.some((snapshot) => snapshot.id === chosen) ? chosen : '';
    this.offerSnapshots();
  }

  /** A choice only once there is an evaluation, and more than the final weights to choose from. */
  private offerSnapshots(): void {
    this.snapshot.hidden = !this.requested || this.snapshot.options.length < 3;
  }

  private async load(snapshot?: string): Promise<void> {
    this.element.dataset.state = 'loading';
    try {
      this.render(await this.client.evaluation(this.jobId, { snapshot }));
      this.element.dataset.state = 'ready';
    } catch (error) {
      this.element.dataset.state = 'error';
      if (error instanceof ApiRequestError && error.status === 409) replace(this.body, h('p', { class: 'muted' }, 'Available when the job succeeds.'));
      else replace(this.body, errorBox(error));
    }
  }

  private render(evaluation: Evaluation): void {
    this.offerSnapshots();
    this.summary.textContent = `On ${SPLITS[evaluation.split]}: ${evaluation.rows.toLocaleString('en-US')} rows, snapshot ${evaluation.snapshotId}.`;
    this.summary.dataset.split = evaluation.split;
    this.summary.dataset.rows = String(evaluation.rows);
    const { classification, regression } = evaluation;
    replace(
      this.body,
      classification ? this.classification(classification) : null,
      regression ? this.regression(regression) : null,
      h('div', { class: 'evaluation-part' }, h('h3', null, 'Permutation importance'), importanceBars(evaluation.featureImportance, classification ? 'accuracy' : 'R²')),
    );
  }

  private classification(scores: Classification): HTMLElement {
    return h(
      'div',
      null,
      scoreList([
        ['accuracy', 'accuracy', percent(scores.accuracy)],
        ['balancedAccuracy', 'balanced accuracy', percent(scores.balancedAccuracy)],
        ['macroF1', 'macro F1', num(scores.macroF1)],
        ['weightedF1', 'weighted F1', num(scores.weightedF1)],
        ['rocAuc', 'ROC AUC', num(scores.rocAuc)],
        ['logLoss', 'log loss', num(scores.logLoss)],
      ]),
      h(
        'div',
        { class: 'evaluation-grid' },
        h('div', { class: 'evaluation-part' }, h('h3', null, 'Confusion matrix'), h('div', { class: 'table-scroll' }, confusionMatrix(scores.confusion))),
        h('div', { class: 'evaluation-part' }, h('h3', null, 'Per class'), perClassTable(scores.perClass)),
      ),
    );
  }

  private regression(errors: Regression): HTMLElement {
    return h(
      'div',
      null,
      scoreList([
        ['rmse', 'RMSE', num(errors.rmse)],
        ['mae', 'MAE', num(errors.mae)],
        ['r2', 'R²', num(errors.r2)],
        ['medianAbsoluteError', 'median absolute error', num(errors.medianAbsoluteError)],
      ]),
      errors.predictedVsActual && errors.predictedVsActual.length > 0 ? h('div', { class: 'evaluation-part' }, scatterPlot(errors.predictedVsActual, this.target)) : null,
    );
  }
}

function scoreList(scores: [key: string, label: string, value: string][]): HTMLElement {
  return h('dl', { class: 'stats scores' }, ...scores.map(([key, label, value]) => h('div', { class: 'stat', dataset: { score: key } }, h('dt', null, label), h('dd', null, value))));
}
