import { h } from '../dom.ts';
import type { TrialCounts } from '../sweeps/types.ts';

/** The bar's parts, left to right: finished first. Pruned trials are succeeded ones, drawn apart. */
const PARTS: { key: keyof TrialCounts; label: string }[] = [
  { key: 'succeeded', label: 'succeeded' },
  { key: 'pruned', label: 'pruned' },
  { key: 'failed', label: 'failed' },
  { key: 'cancelled', label: 'cancelled' },
  { key: 'running', label: 'running' },
  { key: 'queued', label: 'queued' },
];

/** A sweep's trials by state: one stacked bar of the total and a chip per count. */
export function trialCounts(counts: TrialCounts, options: { chips?: boolean } = {}): HTMLElement {
  const shown = (key: keyof TrialCounts) => (key === 'succeeded' ? counts.succeeded - counts.pruned : counts[key]);
  const total = Math.max(1, counts.total);
  // A cancelled sweep counts its never-created trials nowhere else.
  const notStarted = counts.total - counts.queued - counts.running - counts.succeeded - counts.failed - counts.cancelled;
  const bar = h(
    'div',
    { class: 'trial-bar', role: 'img', 'aria-label': PARTS.map(({ key, label }) => `${counts[key]} ${label}`).join(', ') },
    ...PARTS.filter(({ key }) => shown(key) > 0).map(({ key, label }) =>
      h('span', { class: `trial-bar-part part-${key}`, style: `width: ${(shown(key) / total) * 100}%`, title: `${counts[key]} ${label}` }),
    ),
  );
  const chips = options.chips === false
    ? null
    : h(
      'div',
      { class: 'trial-chips' },
      h('span', { class: 'chip', dataset: { count: 'total' } }, h('strong', null, String(counts.total)), ' trials'),
      ...PARTS.map(({ key, label }) => h('span', { class: `chip chip-${key}`, dataset: { count: key } }, h('strong', null, String(counts[key])), ` ${label}`)),
      notStarted > 0 ? h('span', { class: 'chip chip-not-started', dataset: { count: 'notStarted' }, title: 'Trials the sweep will not start: it was cancelled or failed first' }, h('strong', null, String(notStarted)), ' not started') : null,
    );
  return h('div', { class: 'trial-counts' }, bar, chips);
}
