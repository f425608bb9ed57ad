import type { Dataset } from '@trainyard/client';
import { errorBox } from '../components/error-box.ts';
import { UploadForm } from '../components/upload-form.ts';
import { h, replace } from '../dom.ts';
import { ago, bytes } from '../format.ts';
import { handleAuthError, navigate, type View } from '../router.ts';
import { session } from '../session.ts';

const PAGE_SIZE = 50;
const HEADINGS = ['Dataset', 'Task', 'Rows', 'Features', 'Target', 'Classes', 'Size', 'Created'];

/** Every dataset of the tenant (built-ins first), and an upload that leads to the new dataset's page. */
export function datasetsListPage(): View {
  const client = session.client();
  const body = h('tbody');
  const message = h('div');
  const more = h('button', { class: 'secondary', hidden: true, onclick: () => void load() }, 'Load more');
  const upload = new UploadForm(client, (dataset) => navigate(`/datasets/${encodeURIComponent(dataset.id)}`));
  let shown: Dataset[] = [];
  let nextCursor: string | null = null;

  async function load(): Promise<void> {
    try {
      const page = await client.listDatasets({ limit: PAGE_SIZE, after: nextCursor ?? undefined });
      shown = [...shown, ...page.data];
      nextCursor = page.hasMore ? page.nextCursor : null;
      more.hidden = nextCursor === null;
      replace(body, ...shown.map(row));
    } catch (error) {
      if (!handleAuthError(error)) replace(message, errorBox(error));
    }
  }

  void load();
  const element = h(
    'section',
    null,
    h('div', { class: 'page-head' }, h('h1', null, 'Datasets')),
    h('details', { class: 'card upload-card' }, h('summary', null, 'Upload a dataset'), upload.element),
    message,
    h('table', { class: 'jobs datasets' }, h('thead', null, h('tr', null, ...HEADINGS.map((title) => h('th', null, title)))), body),
    more,
  );
  return { title: 'Datasets', element };
}

function row(dataset: Dataset): HTMLElement {
  const href = `/datasets/${encodeURIComponent(dataset.id)}`;
  return h(
    'tr',
    { dataset: { datasetId: dataset.id } },
    h('td', null, h('a', { href }, dataset.name), ' ', h('span', { class: 'muted mono' }, dataset.builtin ? 'built-in' : dataset.id)),
    h('td', null, dataset.task),
    h('td', { class: 'num' }, dataset.rows.toLocaleString('en-US')),
    h('td', { class: 'num' }, String(dataset.features.length)),
    h('td', null, dataset.target),
    h('td', { class: 'num' }, dataset.classes ? String(dataset.classes.length) : '–'),
    h('td', { class: 'num' }, bytes(dataset.sizeBytes)),
    h('td', { title: dataset.createdAt }, ago(dataset.createdAt)),
  );
}
