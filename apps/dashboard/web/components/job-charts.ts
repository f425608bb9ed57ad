import { h } from '../dom.ts';
import { MetricChart, type SeriesSpec } from './metric-chart.ts';
import type { MetricSeries } from './metric-series.ts';

const TRAINING = { label: 'training', color: '#2f6fde' };
const VALIDATION = { label: 'validation', color: '#e8743b', dash: [6, 4] };

const pair = (training: SeriesSpec['key'], validation: SeriesSpec['key']): SeriesSpec[] => [{ key: training, ...TRAINING }, { key: validation, ...VALIDATION }];

/**
 * A job's curves against epochs: the loss always; accuracy once points carry it (classification); RMSE
 * and R² once points carry them (regression). Each chart shows training and validation.
 */
export class JobCharts {
  readonly element: HTMLElement;
  private readonly loss = new MetricChart('Loss', pair('loss', 'valLoss'), 'loss');
  private readonly accuracy = new MetricChart('Accuracy', pair('accuracy', 'valAccuracy'), 'accuracy');
  private readonly rmse = new MetricChart('RMSE', pair('rmse', 'valRmse'), 'rmse');
  private readonly r2 = new MetricChart('R²', pair('r2', 'valR2'), 'R²', 'r2');

  constructor(private readonly series: MetricSeries) {
    for (const chart of [this.accuracy, this.rmse, this.r2]) chart.element.hidden = true;
    this.element = h('div', { class: 'charts' }, this.loss.element, this.accuracy.element, this.rmse.element, this.r2.element);
  }

  /** Redraws from the series; `stepsPerEpoch` places points inside an epoch (null: at their epoch). */
  redraw(stepsPerEpoch: number | null): void {
    const columns = this.series.columns(stepsPerEpoch);
    this.loss.update(columns);
    const optional: [MetricChart, boolean][] = [[this.accuracy, this.series.hasAccuracy], [this.rmse, this.series.hasRegression], [this.r2, this.series.hasRegression]];
    for (const [chart, shown] of optional) {
      if (!shown) continue;
      chart.element.hidden = false;
      chart.update(columns);
    }
  }

  dispose(): void {
    for (const chart of [this.loss, this.accuracy, this.rmse, this.r2]) chart.dispose();
  }
}
