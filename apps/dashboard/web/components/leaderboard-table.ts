import { h, replace } from '../dom.ts';
import { num } from '../format.ts';
import type { Objective, Trial } from '../sweeps/types.ts';
import { formatParameter } from './parameter-space.ts';
import { statusBadge } from './status.ts';

/**
 * The leaderboard, best first: rank, trial, its job, status (pruned and early-stopped trials marked), one column
 * per parameter, the objective and the epochs run. Exact values ride in `data-value` for whoever checks them.
 */
export class LeaderboardTable {
  readonly element: HTMLElement;
  private readonly head = h('thead');
  private readonly body = h('tbody');

  constructor() {
    this.element = h('div', { class: 'table-scroll' }, h('table', { class: 'jobs leaderboard' }, this.head, this.body));
  }

  show(trials: Trial[], paths: string[], objective: Objective): void {
    const titles = ['#', 'Trial', 'Job', 'Status', ...paths, `${objective.metric} (${objective.goal === 'minimize' ? '↓' : '↑'})`, 'Epochs'];
    replace(this.head, h('tr', null, ...titles.map((title, index) => h('th', { class: index === 2 || index === 3 ? '' : 'num', title: index === 1 ? 'The trial\'s index in the sweep, from 0' : null }, title))));
    if (trials.length === 0) {
      replace(this.body, h('tr', null, h('td', { colspan: String(titles.length), class: 'empty' }, 'No trial has started yet.')));
      return;
    }
    replace(this.body, ...trials.map((trial, index) => row(trial, index + 1, paths)));
  }
}

function row(trial: Trial, rank: number, paths: string[]): HTMLElement {
  return h(
    'tr',
    { dataset: { jobId: trial.jobId, trial: String(trial.trial), status: trial.status, pruned: String(trial.stopReason === 'pruned') } },
    h('td', { class: 'num rank' }, String(rank)),
    h('td', { class: 'num', dataset: { cell: 'trial' } }, String(trial.trial)),
    h('td', null, h('a', { href: `/jobs/${encodeURIComponent(trial.jobId)}`, class: 'mono' }, trial.jobId)),
    h('td', { dataset: { cell: 'status' } }, statusBadge(trial.status), stopMarker(trial.stopReason)),
    ...paths.map((path) => h('td', { class: 'num', dataset: { param: path, value: JSON.stringify(trial.parameters[path]) ?? '' } }, formatParameter(trial.parameters[path]))),
    h('td', { class: 'num', dataset: { cell: 'value', value: trial.value === null ? '' : String(trial.value) } }, num(trial.value)),
    h('td', { class: 'num', dataset: { cell: 'epochs' } }, String(trial.epochs)),
  );
}

function stopMarker(stopReason: string | null): HTMLElement | null {
  if (stopReason === 'pruned') return h('span', { class: 'badge pruned-marker', title: 'Stopped at a rung by ASHA pruning' }, '✂ pruned');
  if (stopReason === 'early_stopping') return h('span', { class: 'badge early-marker', title: 'Stopped early: the monitored metric stopped improving' }, 'early stop');
  return null;
}
