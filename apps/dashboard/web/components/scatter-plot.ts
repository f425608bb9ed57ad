import { h, svg } from '../dom.ts';
import { num } from '../format.ts';

interface Point {
  actual: number;
  predicted: number;
}

// A square plot area (340 × 340): one scale on both axes, so y = x runs at 45°.
const WIDTH = 420;
const HEIGHT = 400;
const MARGIN = { left: 64, right: 16, top: 14, bottom: 46 };

/** Round tick values (1, 2 or 5 × a power of ten apart) covering [low, high], about `count` of them. */
export function niceTicks(low: number, high: number, count = 5): number[] {
  if (!(high > low)) return [low];
  const rough = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? 10 * power;
  const ticks: number[] = [];
  // Rounded to the step's decimals, so 0.1 + 0.2 prints as 0.3.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  for (let tick = Math.ceil(low / step) * step; tick <= high + step * 1e-9; tick += step) ticks.push(Number(tick.toFixed(decimals)));
  return ticks;
}

/** One shared range for both axes (so y = x is the diagonal), padded by 5%. */
export function sharedDomain(points: Point[]): [number, number] {
  const values = points.flatMap((point) => [point.actual, point.predicted]).filter(Number.isFinite);
  if (values.length === 0) return [0, 1];
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (low === high) [low, high] = [low - 1, high + 1];
  const pad = (high - low) * 0.05;
  return [low - pad, high + pad];
}

/** Predicted against actual values, one dot per evaluated row, with the line of perfect predictions. */
export function scatterPlot(points: Point[], target: string): HTMLElement {
  const [low, high] = sharedDomain(points);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (value: number) => MARGIN.left + ((value - low) / (high - low)) * plotWidth;
  const y = (value: number) => MARGIN.top + plotHeight - ((value - low) / (high - low)) * plotHeight;
  const ticks = niceTicks(low, high);
  const of = target ? ` ${target}` : '';
  const chart = svg(
    'svg',
    { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'scatter', role: 'img', 'aria-label': `predicted against actual${of}` },
    svg('rect', { x: MARGIN.left, y: MARGIN.top, width: plotWidth, height: plotHeight, class: 'plot-area' }),
    ...ticks.flatMap((tick) => [
      svg('line', { x1: x(tick), x2: x(tick), y1: MARGIN.top, y2: MARGIN.top + plotHeight, class: 'grid' }),
      svg('line', { x1: MARGIN.left, x2: MARGIN.left + plotWidth, y1: y(tick), y2: y(tick), class: 'grid' }),
      svg('text', { x: x(tick), y: MARGIN.top + plotHeight + 16, class: 'tick', 'text-anchor': 'middle' }, num(tick)),
      svg('text', { x: MARGIN.left - 6, y: y(tick) + 4, class: 'tick', 'text-anchor': 'end' }, num(tick)),
    ]),
    svg('line', { x1: x(low), y1: y(low), x2: x(high), y2: y(high), class: 'identity' }, svg('title', {}, 'predicted = actual')),
    ...points.map((point) =>
      svg('circle', { cx: x(point.actual), cy: y(point.predicted), r: 3, class: 'point' }, svg('title', {}, `actual ${num(point.actual)}, predicted ${num(point.predicted)}`)),
    ),
    svg('text', { x: MARGIN.left + plotWidth / 2, y: HEIGHT - 6, class: 'axis-label', 'text-anchor': 'middle' }, `actual${of}`),
    svg('text', { x: 14, y: MARGIN.top + plotHeight / 2, class: 'axis-label', 'text-anchor': 'middle', transform: `rotate(-90 14 ${MARGIN.top + plotHeight / 2})` }, `predicted${of}`),
  );
  return h('figure', { class: 'chart scatter-figure', dataset: { chart: 'predicted-vs-actual', points: String(points.length) } }, h('figcaption', null, 'Predicted vs actual'), chart);
}
