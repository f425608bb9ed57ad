import { h, svg } from '../dom.ts';
import { num } from '../format.ts';
import { parameterAxis, valueAxis, type Axis } from '../sweeps/parameter-axis.ts';
import type { Objective, ParameterSpec, Trial } from '../sweeps/types.ts';
import { formatParameter } from './parameter-space.ts';

const WIDTH = 320;
const HEIGHT = 220;
const MARGIN = { left: 52, right: 12, top: 10, bottom: 40 };
const PLOT_WIDTH = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom;

/**
 * The objective against one parameter, a dot per trial with a value: pruned trials hollow, running ones faint,
 * the best ringed. All plots of a sweep share the objective's range (`values`), so their heights compare.
 */
export function objectiveScatter(path: string, spec: ParameterSpec, trials: Trial[], objective: Objective, bestJobId: string | null, values: Axis = valueAxis(trials.flatMap((trial) => (trial.value === null ? [] : [trial.value])))): HTMLElement {
  const xAxis = parameterAxis(spec);
  const x = (at: number) => MARGIN.left + at * PLOT_WIDTH;
  const y = (at: number) => MARGIN.top + PLOT_HEIGHT - at * PLOT_HEIGHT;
  const placed = trials.flatMap((trial) => {
    const across = xAxis.position(trial.parameters[path]);
    const up = values.position(trial.value);
    return across === null || up === null ? [] : [{ trial, cx: x(across), cy: y(up) }];
  });
  const chart = svg(
    'svg',
    { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'scatter objective-scatter', role: 'img', 'aria-label': `${objective.metric} against ${path}` },
    svg('rect', { x: MARGIN.left, y: MARGIN.top, width: PLOT_WIDTH, height: PLOT_HEIGHT, class: 'plot-area' }),
    ...xAxis.ticks.flatMap((tick) => [
      svg('line', { x1: x(tick.at), x2: x(tick.at), y1: MARGIN.top, y2: MARGIN.top + PLOT_HEIGHT, class: 'grid' }),
      svg('text', { x: x(tick.at), y: MARGIN.top + PLOT_HEIGHT + 14, class: 'tick', 'text-anchor': 'middle' }, tick.label),
    ]),
    ...values.ticks.flatMap((tick) => [
      svg('line', { x1: MARGIN.left, x2: MARGIN.left + PLOT_WIDTH, y1: y(tick.at), y2: y(tick.at), class: 'grid' }),
      svg('text', { x: MARGIN.left - 5, y: y(tick.at) + 4, class: 'tick', 'text-anchor': 'end' }, tick.label),
    ]),
    ...placed.map(({ trial, cx, cy }) => svg(
      'circle',
      {
        cx, cy, r: trial.jobId === bestJobId ? 5 : 4,
        class: ['point', trial.stopReason === 'pruned' ? 'pruned' : '', trial.status === 'running' || trial.status === 'queued' ? 'active' : '', trial.jobId === bestJobId ? 'best' : ''].filter(Boolean).join(' '),
        'data-job-id': trial.jobId,
        'data-trial': trial.trial,
      },
      svg('title', {}, `trial ${trial.trial}: ${path} = ${formatParameter(trial.parameters[path])}, ${objective.metric} ${num(trial.value)}${trial.stopReason === 'pruned' ? ' (pruned)' : ''}`),
    )),
    svg('text', { x: MARGIN.left + PLOT_WIDTH / 2, y: HEIGHT - 6, class: 'axis-label', 'text-anchor': 'middle' }, `${path}${xAxis.scale === 'log' ? ' (log)' : ''}`),
  );
  return h(
    'figure',
    { class: 'chart objective-figure', dataset: { chart: 'objective', parameter: path, scale: xAxis.scale, points: String(placed.length) } },
    h('figcaption', null, h('span', { class: 'mono' }, path)),
    chart,
  );
}
