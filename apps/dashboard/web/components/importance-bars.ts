import type { Evaluation } from '@trainyard/client';
import { h } from '../dom.ts';
import { num } from '../format.ts';

type Importance = Evaluation['featureImportance'][number];

/**
 * Permutation importance as horizontal bars, highest first, on one scale from the most negative value to
 * the largest: a column whose shuffling helped the model gets a bar left of zero.
 */
export function importanceBars(importance: Importance[], measure: string): HTMLElement {
  const sorted = [...importance].sort((a, b) => b.importance - a.importance);
  const negative = Math.max(0, ...sorted.map((entry) => -entry.importance));
  const positive = Math.max(0, ...sorted.map((entry) => entry.importance));
  const span = negative + positive || 1;
  const zero = (100 * negative) / span;
  return h(
    'div',
    { class: 'importance' },
    h('p', { class: 'muted' }, `Mean drop of ${measure} when the column is shuffled.`),
    ...sorted.map(({ feature, importance: value }) => {
      const width = (100 * Math.abs(value)) / span;
      const left = value < 0 ? zero - width : zero;
      return h(
        'div',
        { class: 'importance-row', dataset: { feature, importance: String(value) } },
        h('span', { class: 'importance-name', title: feature }, feature),
        h(
          'span',
          { class: 'importance-track' },
          negative > 0 ? h('span', { class: 'importance-zero', style: `left: ${zero}%` }) : null,
          h('span', { class: `importance-bar${value < 0 ? ' negative' : ''}`, style: `left: ${left}%; width: ${width}%` }),
        ),
        h('span', { class: 'num importance-value' }, num(value)),
      );
    }),
  );
}
