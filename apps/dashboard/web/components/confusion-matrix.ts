import { h } from '../dom.ts';
import { percent } from '../format.ts';

interface Confusion {
  labels: string[];
  /** counts[i][j]: rows of true class labels[i] predicted as labels[j] */
  counts: number[][];
}

/** White (none of the row) to the accent blue (all of it). */
const LOW = [255, 255, 255];
const HIGH = [47, 111, 222];
/** Above this share the count is written in white. */
const DARK_FROM = 0.55;

/** Each cell's share of its row (its true class); a class with no rows has shares of 0. */
export function rowShares(counts: number[][]): number[][] {
  return counts.map((row) => {
    const total = row.reduce((sum, count) => sum + count, 0);
    return row.map((count) => (total === 0 ? 0 : count / total));
  });
}

export function shareColor(share: number): string {
  const [r, g, b] = LOW.map((low, i) => Math.round(low + (HIGH[i] - low) * Math.min(1, Math.max(0, share))));
  return `rgb(${r}, ${g}, ${b})`;
}

/** A heat map of the confusion matrix: true classes down, predicted across, colour by share of the true class. */
export function confusionMatrix({ labels, counts }: Confusion): HTMLElement {
  const shares = rowShares(counts);
  return h(
    'table',
    { class: 'confusion' },
    h(
      'thead',
      null,
      h('tr', null, h('th', { class: 'corner', colspan: '2', rowspan: '2' }, 'true \\ predicted'), h('th', { class: 'axis', colspan: String(labels.length) }, 'predicted →')),
      h('tr', null, ...labels.map((label) => h('th', { scope: 'col', class: 'predicted-label-head' }, label))),
    ),
    h(
      'tbody',
      null,
      ...labels.map((label, i) =>
        h(
          'tr',
          { dataset: { true: label } },
          i === 0 ? h('th', { class: 'axis axis-true', rowspan: String(labels.length) }, h('span', null, 'true ↓')) : null,
          h('th', { scope: 'row' }, label),
          ...counts[i].map((count, j) => cell(label, labels[j], count, shares[i][j])),
        ),
      ),
    ),
  );
}

function cell(actual: string, predicted: string, count: number, share: number): HTMLElement {
  return h(
    'td',
    {
      class: `confusion-cell${actual === predicted ? ' diagonal' : ''}`,
      style: `background: ${shareColor(share)}; color: ${share > DARK_FROM ? '#fff' : 'var(--ink)'}`,
      title: `true ${actual}, predicted ${predicted}: ${count} rows (${percent(share)} of ${actual})`,
      dataset: { true: actual, predicted, count: String(count), share: share.toFixed(4) },
    },
    String(count),
  );
}
