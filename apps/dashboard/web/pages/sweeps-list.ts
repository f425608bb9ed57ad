import { datasetLink } from '../components/dataset-link.ts';
import { errorBox } from '../components/error-box.ts';
import { statusBadge } from '../components/status.ts';
import { SweepForm } from '../components/sweep-form.ts';
import { trialCounts } from '../components/trial-counts.ts';
import { Disposer, h, replace } from '../dom.ts';
import { ago, num } from '../format.ts';
import { handleAuthError, navigate, type View } from '../router.ts';
import { session } from '../session.ts';
import { sweepApi } from '../sweeps/sweep-api.ts';
import { sweepEnded, type Sweep } from '../sweeps/types.ts';
import type { DatasetCache } from '../dataset-cache.ts';

/** The list refreshes this often while it shows a sweep that is still going. */
const REFRESH_MS = 2_000;
const PAGE_SIZE = 25;
const HEADINGS = ['Sweep', 'Status', 'Method', 'Dataset', 'Trials', 'Objective', 'Best', 'Created'];

/** Every sweep of the tenant, newest first, and the form that starts one. */
export function sweepsListPage(): View {
  const disposer = new Disposer();
  const client = session.client();
  const datasets = session.datasets();
  const body = h('tbody');
  const message = h('div');
  const more = h('button', { class: 'secondary', hidden: true, onclick: () => void load(true) }, 'Load more');
  const form = new SweepForm(client, (sweep) => navigate(`/sweeps/${encodeURIComponent(sweep.id)}`));
  let sweeps: Sweep[] = [];
  let nextCursor: string | null = null;

  async function load(nextPage = false, refresh = false): Promise<void> {
    try {
      const limit = refresh ? Math.min(100, Math.max(PAGE_SIZE, sweeps.length)) : PAGE_SIZE;
      const page = await sweepApi.list(client, { limit, after: nextPage ? (nextCursor ?? undefined) : undefined }, disposer.signal);
      sweeps = nextPage ? [...sweeps, ...page.data] : page.data;
      nextCursor = page.hasMore ? page.nextCursor : null;
      more.hidden = nextCursor === null;
      replace(message);
      replace(body, ...(sweeps.length === 0 ? [h('tr', null, h('td', { colspan: String(HEADINGS.length), class: 'empty' }, 'No sweeps yet: start one below.'))] : sweeps.map((sweep) => row(sweep, datasets))));
    } catch (error) {
      if (!disposer.signal.aborted && !handleAuthError(error)) replace(message, errorBox(error));
    }
  }

  disposer.interval(() => {
    if (document.visibilityState === 'visible' && sweeps.some((sweep) => !sweepEnded(sweep))) void load(false, true);
  }, REFRESH_MS);
  void load();

  const element = h(
    'section',
    { class: 'sweeps-page' },
    h('div', { class: 'page-head' }, h('h1', null, 'Sweeps')),
    message,
    h('div', { class: 'table-scroll' }, h('table', { class: 'jobs sweeps' }, h('thead', null, h('tr', null, ...HEADINGS.map((title) => h('th', null, title)))), body)),
    more,
    h('details', { class: 'card sweep-form-card', open: true }, h('summary', null, 'Start a sweep'), form.element),
  );
  return { title: 'Sweeps', element, dispose: () => disposer.dispose() };
}

function row(sweep: Sweep, datasets: DatasetCache): HTMLElement {
  const href = `/sweeps/${encodeURIComponent(sweep.id)}`;
  return h(
    'tr',
    { dataset: { sweepId: sweep.id } },
    h('td', null, h('a', { href, class: 'mono' }, sweep.id)),
    h('td', null, statusBadge(sweep.status)),
    h('td', null, sweep.method),
    h('td', { class: 'dataset-cell' }, datasetLink(datasets, sweep.dataset)),
    h('td', { class: 'progress-cell' }, trialCounts(sweep.trials, { chips: false }), h('small', { class: 'muted' }, `${sweep.trials.succeeded + sweep.trials.failed + sweep.trials.cancelled} / ${sweep.trials.total} ended`)),
    h('td', null, `${sweep.objective.goal} ${sweep.objective.metric}`),
    h('td', { class: 'num' }, sweep.best === null ? '–' : h('a', { href: `/jobs/${encodeURIComponent(sweep.best.jobId)}` }, num(sweep.best.value))),
    h('td', { title: sweep.createdAt }, ago(sweep.createdAt)),
  );
}
