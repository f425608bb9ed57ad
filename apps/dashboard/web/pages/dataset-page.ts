import type { Dataset } from '@trainyard/client';
import { columnProfile } from '../components/column-profile.ts';
import { errorBox } from '../components/error-box.ts';
import { h, replace } from '../dom.ts';
import { bytes, time } from '../format.ts';
import { handleAuthError, type View } from '../router.ts';
import { session } from '../session.ts';

/** One dataset: what it holds, and its column profile (types, gaps, statistics, frequent values). */
export function datasetPage(datasetId: string): View {
  const content = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
  const element = h('section', { class: 'dataset-page', dataset: { datasetId } }, h('a', { href: '/datasets', class: 'back' }, '← Datasets'), content);

  session
    .client()
    .getDataset(datasetId)
    .then(
      (dataset) => replace(content, ...render(dataset)),
      (error) => {
        if (!handleAuthError(error)) replace(content, errorBox(error));
      },
    );
  return { title: datasetId, element };
}

function render(dataset: Dataset): HTMLElement[] {
  const id = encodeURIComponent(dataset.id);
  return [
    h(
      'div',
      { class: 'page-head' },
      h('h1', null, dataset.name, h('span', { class: 'muted mono dataset-id' }, dataset.id)),
      h('div', { class: 'head-actions' }, h('a', { href: `/?dataset=${id}` }, 'Its jobs'), h('a', { href: `/submit?dataset=${id}`, class: 'button primary' }, 'New job with it')),
    ),
    h('div', { class: 'card' }, h('dl', { class: 'stats dataset-facts' }, ...facts(dataset).map(([label, value]) => fact(label, value)))),
    dataset.classes ? h('div', { class: 'card' }, h('h2', null, 'Classes'), h('p', { class: 'classes' }, ...dataset.classes.map((label) => h('span', { class: 'badge' }, label)))) : null,
    h('section', { class: 'card profile' }, h('h2', null, 'Columns'), profileOrFeatures(dataset)),
  ].filter((part): part is HTMLElement => part !== null);
}

function facts(dataset: Dataset): [string, string][] {
  return [
    ['task', dataset.task],
    ['rows', dataset.rows.toLocaleString('en-US')],
    ['target', dataset.target],
    ['classes', dataset.classes ? String(dataset.classes.length) : '–'],
    ['rows without target', dataset.rowsWithoutTarget === undefined ? '–' : dataset.rowsWithoutTarget.toLocaleString('en-US')],
    ['features', String(dataset.features.length)],
    ['size', bytes(dataset.sizeBytes)],
    ['created', dataset.builtin ? 'built-in' : time(dataset.createdAt)],
  ];
}

/** Built-in datasets are matrices with no profile: their feature names stand in. */
function profileOrFeatures(dataset: Dataset): HTMLElement {
  if (dataset.columns && dataset.columns.length > 0) return h('div', { class: 'table-scroll' }, columnProfile(dataset));
  return h('p', { class: 'muted' }, `${dataset.features.length} number features: ${dataset.features.slice(0, 40).join(', ')}${dataset.features.length > 40 ? ', …' : ''}.`);
}

function fact(label: string, value: string): HTMLElement {
  return h('div', { class: 'stat', dataset: { fact: label } }, h('dt', null, label), h('dd', null, value));
}
