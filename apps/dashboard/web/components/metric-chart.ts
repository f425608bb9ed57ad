import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from '../dom.ts';
import type { Columns, SeriesKey } from './metric-series.ts';

export interface SeriesSpec {
  key: SeriesKey;
  label: string;
  color: string;
  dash?: number[];
}

const HEIGHT = 240;

/**
 * One uPlot chart of some metric columns against epochs. Redraws at most once per animation frame
 * however fast points arrive; on its element, `data-points` tells how many points it shows and
 * `data-latest` each series' latest value (JSON by key; the canvas itself cannot be read).
 */
export class MetricChart {
  readonly element: HTMLElement;
  private readonly plotHost: HTMLElement;
  private plot: uPlot | null = null;
  private pending: Columns | null = null;
  private frame = 0;
  private readonly resize: ResizeObserver;

  constructor(
    title: string,
    private readonly series: SeriesSpec[],
    private readonly yLabel: string,
    id = title.toLowerCase(),
  ) {
    this.plotHost = h('div', { class: 'chart-plot' });
    this.element = h('figure', { class: 'chart', dataset: { chart: id, points: '0' } }, h('figcaption', null, title), this.plotHost);
    this.resize = new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: HEIGHT }));
    this.resize.observe(this.element);
  }

  update(columns: Columns): void {
    this.pending = columns;
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.draw());
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.resize.disconnect();
    this.plot?.destroy();
  }

  private draw(): void {
    this.frame = 0;
    const columns = this.pending;
    if (columns === null) return;
    const data: uPlot.AlignedData = [columns.x, ...this.series.map((spec) => columns[spec.key])];
    if (this.plot === null) this.plot = new uPlot(this.options(), data, this.plotHost);
    else this.plot.setData(data);
    this.element.dataset.points = String(columns.x.length);
    this.element.dataset.latest = JSON.stringify(Object.fromEntries(this.series.map((spec) => [spec.key, latest(columns[spec.key])])));
  }

  private width(): number {
    return Math.max(280, this.element.clientWidth - 16);
  }

  private options(): uPlot.Options {
    return {
      width: this.width(),
      height: HEIGHT,
      scales: { x: { time: false } },
      legend: { live: false }, // the latest values are in the stats above the charts
      cursor: { drag: { x: true, y: false } },
      series: [
        { label: 'epoch', value: (_plot, value) => (value === null ? '–' : String(Math.round(value * 100) / 100)) },
        ...this.series.map((spec) => ({
          label: spec.label,
          stroke: spec.color,
          width: 2,
          dash: spec.dash,
          spanGaps: true,
          points: { show: false },
          value: (_plot: uPlot, value: number | null) => (value === null ? '–' : value.toPrecision(4)),
        })),
      ],
      axes: [{ label: 'epoch' }, { label: this.yLabel, size: 60 }],
    };
  }
}

function latest(values: (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return values[i];
  return null;
}
