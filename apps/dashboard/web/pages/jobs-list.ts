import { isTerminal, type Dataset, type Job, type JobQuery, type JobStatus } from '@trainyard/client';
import { datasetLink } from '../components/dataset-link.ts';
import { errorBox } from '../components/error-box.ts';
import { progressBar, statusBadge } from '../components/status.ts';
import { Disposer, h, replace } from '../dom.ts';
import type { DatasetCache } from '../dataset-cache.ts';
import { ago, between, duration, num, percent } from '../format.ts';
import { handleAuthError, navigate, type View } from '../router.ts';
import { session } from '../session.ts';

const STATUSES: JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
/** The list refreshes this often while it shows a job that is still going. */
const REFRESH_MS = 2_000;
const PAGE_SIZE = 25;

export function jobsListPage(query: URLSearchParams): View {
  const disposer = new Disposer();
  const client = session.client();
  const datasets = session.datasets();
  const filters: JobQuery = {
    status: (STATUSES as string[]).includes(query.get('status') ?? '') ? (query.get('status') as JobStatus) : undefined,
    dataset: query.get('dataset') || undefined,
  };
  let jobs: Job[] = [];
  let nextCursor: string | null = null;

  const statusSelect = h('select', { name: 'status', onchange: () => applyFilters() }, h('option', { value: '' }, 'any status'), ...STATUSES.map((status) => h('option', { value: status, selected: filters.status === status }, status)));
  const datasetSelect = h('select', { name: 'dataset', onchange: () => applyFilters() }, h('option', { value: '' }, 'any dataset'));
  const body = h('tbody');
  const message = h('div');
  const more = h('button', { class: 'secondary', hidden: true, onclick: () => void load(true) }, 'Load more');

  function applyFilters(): void {
    const params = new URLSearchParams();
    if (statusSelect.value) params.set('status', statusSelect.value);
    if (datasetSelect.value) params.set('dataset', datasetSelect.value);
    navigate(`/${params.size > 0 ? `?${params}` : ''}`, { replace: true });
  }

  /** First page, or the next one; a refresh re-reads as many jobs as are shown. */
  async function load(nextPage = false, refresh = false): Promise<void> {
    try {
      const limit = refresh ? Math.min(100, Math.max(PAGE_SIZE, jobs.length)) : PAGE_SIZE;
      const page = await client.listJobs({ ...filters, limit, after: nextPage ? (nextCursor ?? undefined) : undefined });
      jobs = nextPage ? [...jobs, ...page.data] : page.data;
      nextCursor = page.hasMore ? page.nextCursor : null;
      replace(message);
      render();
    } catch (error) {
      if (!handleAuthError(error)) replace(message, errorBox(error));
    }
  }

  function render(): void {
    more.hidden = nextCursor === null;
    if (jobs.length === 0) {
      replace(body, h('tr', null, h('td', { colspan: '8', class: 'empty' }, 'No jobs yet. ', h('a', { href: '/submit' }, 'Submit one'), '.')));
      return;
    }
    replace(body, ...jobs.map((job) => row(job, datasets)));
  }

  disposer.interval(() => {
    if (document.visibilityState === 'visible' && jobs.some((job) => !isTerminal(job.status))) void load(false, true);
  }, REFRESH_MS);

  void load();
  void client.listDatasets({ limit: 100 }).then(
    (page) => {
      datasets.prime(page.data);
      for (const dataset of page.data) datasetSelect.append(datasetOption(dataset, filters.dataset));
      if (filters.dataset && !page.data.some((dataset) => dataset.id === filters.dataset)) datasetSelect.append(h('option', { value: filters.dataset, selected: true }, filters.dataset));
    },
    () => undefined,
  );

  const element = h(
    'section',
    null,
    h('div', { class: 'page-head' }, h('h1', null, 'Jobs'), h('a', { href: '/submit', class: 'button primary' }, 'New job')),
    h('div', { class: 'filters' }, h('label', null, 'Status ', statusSelect), h('label', null, 'Dataset ', datasetSelect)),
    message,
    h(
      'table',
      { class: 'jobs' },
      h('thead', null, h('tr', null, ...['Job', 'Dataset', 'Status', 'Progress', 'Loss', 'Val. accuracy', 'Duration', 'Created'].map((title) => h('th', null, title)))),
      body,
    ),
    more,
  );
  return { title: 'Jobs', element, dispose: () => disposer.dispose() };
}

function row(job: Job, datasets: DatasetCache): HTMLElement {
  const { epoch, epochs, fraction } = job.progress;
  const elapsed = between(job.startedAt, job.finishedAt);
  return h(
    'tr',
    { dataset: { jobId: job.id } },
    h('td', null, h('a', { href: `/jobs/${job.id}`, class: 'mono' }, job.id)),
    h('td', { class: 'dataset-cell' }, datasetLink(datasets, job.dataset)),
    h('td', null, statusBadge(job.status)),
    h('td', { class: 'progress-cell' }, progressBar(fraction, `${epoch}/${epochs}`, job.status)),
    h('td', { class: 'num' }, num(job.metrics?.loss)),
    h('td', { class: 'num' }, percent(job.metrics?.valAccuracy ?? job.metrics?.accuracy)),
    h('td', { class: 'num' }, elapsed === null ? '–' : duration(elapsed)),
    h('td', { title: job.createdAt }, ago(job.createdAt)),
  );
}

function datasetOption(dataset: Dataset, selected: string | undefined): HTMLOptionElement {
  return h('option', { value: dataset.id, selected: dataset.id === selected }, dataset.builtin ? dataset.id : `${dataset.name} (${dataset.id})`);
}
