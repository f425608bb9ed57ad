import { isTerminal, type WatchMode } from '@trainyard/client';
import { datasetLink } from '../components/dataset-link.ts';
import { errorBox } from '../components/error-box.ts';
import { LeaderboardTable } from '../components/leaderboard-table.ts';
import { objectiveScatter } from '../components/objective-scatter.ts';
import { formatParameter, parameterSpace } from '../components/parameter-space.ts';
import { statusBadge } from '../components/status.ts';
import { trialCounts } from '../components/trial-counts.ts';
import { Disposer, h, replace } from '../dom.ts';
import { between, duration, num } from '../format.ts';
import { handleAuthError, type View } from '../router.ts';
import { session } from '../session.ts';
import { Leaderboard } from '../sweeps/leaderboard.ts';
import { valueAxis } from '../sweeps/parameter-axis.ts';
import { sweepApi } from '../sweeps/sweep-api.ts';
import { sweepEnded, type Sweep } from '../sweeps/types.ts';
import { watchSweep } from '../sweeps/watch-sweep.ts';

/** Streaming needs a readable response body; without it the watch polls. */
const CAN_STREAM = typeof ReadableStream !== 'undefined' && 'body' in Response.prototype;
/** Trial events come in bursts (every running trial at each poll of the server): one redraw per burst. */
const REDRAW_MS = 60;

/** One sweep: status and counts, best trial, the space, objective-vs-parameter plots and the leaderboard, live. */
export function sweepPage(sweepId: string): View {
  const disposer = new Disposer();
  const client = session.client();
  const datasets = session.datasets();
  const board = new Leaderboard('minimize');
  const table = new LeaderboardTable();
  let sweep: Sweep | null = null;

  const head = h('div', { class: 'page-head' });
  const live = h('span', { class: 'live muted', dataset: { mode: 'none' } });
  const message = h('div');
  const summary = h('div', { class: 'card sweep-summary' });
  const space = h('div', { class: 'card sweep-space' }, h('h2', null, 'Parameter space'));
  const plots = h('div', { class: 'objective-plots' });
  const element = h(
    'section',
    { class: 'sweep-page', dataset: { sweepId } },
    h('a', { href: '/sweeps', class: 'back' }, '← Sweeps'),
    head,
    message,
    summary,
    h('section', { class: 'card' }, h('h2', null, 'Objective by parameter'), h('p', { class: 'muted legend' }, '● a trial (faint while it runs) · ○ pruned · ringed: the best'), plots),
    h('section', { class: 'card' }, h('h2', null, 'Leaderboard'), table.element),
    space,
  );

  function renderHead(current: Sweep): void {
    const cancel = h('button', { class: 'danger', onclick: () => void cancelSweep(cancel) }, current.cancelRequested ? 'Cancelling…' : 'Cancel sweep');
    cancel.disabled = current.cancelRequested;
    const { objective } = current;
    replace(
      head,
      h(
        'div',
        { class: 'job-title' },
        h('h1', null, h('span', { class: 'mono' }, current.id), ' ', statusBadge(current.status)),
        h(
          'p',
          { class: 'job-subtitle muted' },
          `${current.method} search on `, datasetLink(datasets, current.dataset, 'sweep-dataset'),
          ` · ${objective.goal} `, h('strong', { class: 'sweep-objective' }, objective.metric),
          ` · ${current.parallelism} at once`,
          current.pruning ? ` · ASHA from epoch ${current.pruning.minEpochs}, ×${current.pruning.reductionFactor}` : ' · no pruning',
          current.method === 'random' ? ` · seed ${current.seed}` : null,
        ),
      ),
      h('div', { class: 'head-actions' }, live, isTerminal(current.status) ? null : cancel),
    );
  }

  function renderSummary(current: Sweep): void {
    const { best } = current;
    const bestTrial = best === null ? undefined : board.rows().find((trial) => trial.jobId === best.jobId);
    const ran = between(current.startedAt ?? current.createdAt, current.finishedAt);
    replace(
      summary,
      trialCounts(current.trials),
      h(
        'div',
        { class: 'sweep-best', dataset: { bestJobId: best?.jobId ?? '' } },
        best === null
          ? h('span', { class: 'muted' }, 'Best trial: none has succeeded yet.')
          : h(
            'span',
            null,
            'Best: ', bestTrial ? `trial ${bestTrial.trial}, ` : null,
            h('a', { href: `/jobs/${encodeURIComponent(best.jobId)}`, class: 'mono best-job' }, best.jobId),
            ` — ${current.objective.metric} `, h('strong', { class: 'best-value', dataset: { value: String(best.value) } }, num(best.value)),
            ' with ', Object.entries(best.parameters).map(([path, value]) => `${path} = ${formatParameter(value)}`).join(', '),
          ),
        h('span', { class: 'muted' }, ran === null ? '' : ` · ${current.finishedAt ? 'took' : 'running for'} ${duration(ran)}`),
      ),
    );
  }

  function renderTrials(): void {
    if (sweep === null) return;
    const trials = board.rows();
    const paths = Object.keys(sweep.parameters);
    table.show(trials, paths, sweep.objective);
    const values = valueAxis(trials.flatMap((trial) => (trial.value === null ? [] : [trial.value])));
    const current = sweep;
    replace(plots, ...paths.map((path) => objectiveScatter(path, current.parameters[path], trials, current.objective, current.best?.jobId ?? null, values)));
    element.dataset.trials = String(trials.length);
  }

  function render(current: Sweep): void {
    sweep = current;
    board.setGoal(current.objective.goal);
    element.dataset.status = current.status;
    renderHead(current);
    renderSummary(current);
    renderTrials();
  }

  let redrawTimer: ReturnType<typeof setTimeout> | undefined;
  disposer.add(() => clearTimeout(redrawTimer));
  function scheduleRedraw(): void {
    redrawTimer ??= setTimeout(() => {
      redrawTimer = undefined;
      renderTrials();
      if (sweep !== null) renderSummary(sweep);
    }, REDRAW_MS);
  }

  async function cancelSweep(button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      render(await sweepApi.cancel(client, sweepId));
    } catch (error) {
      if (!handleAuthError(error)) replace(message, errorBox(error));
      button.disabled = false;
    }
  }

  function setMode(mode: WatchMode | 'done'): void {
    live.dataset.mode = mode;
    live.textContent = mode === 'stream' ? '● live' : mode === 'polling' ? '● live (polling)' : '';
  }

  /** The leaderboard as the API ranks it, read whole (at the start and once the sweep has ended). */
  async function reload(): Promise<void> {
    const [current, trials] = await Promise.all([sweepApi.get(client, sweepId, disposer.signal), sweepApi.trials(client, sweepId, disposer.signal)]);
    board.reset(trials);
    render(current);
  }

  async function start(): Promise<void> {
    try {
      await reload();
      replace(space, h('h2', null, 'Parameter space'), parameterSpace(sweep!.parameters));
      if (sweepEnded(sweep!)) return setMode('done');
      await watchSweep(client, sweepId, {
        onTrial: (trial) => {
          if (board.upsert(trial)) scheduleRedraw();
        },
        onStatus: (current) => render(current),
        onModeChange: setMode,
        signal: disposer.signal,
        pollOnly: !CAN_STREAM,
      });
      await reload();
      setMode('done');
    } catch (error) {
      if (disposer.signal.aborted || handleAuthError(error)) return;
      setMode('done');
      replace(message, errorBox(error));
    }
  }

  void start();
  return { title: sweepId, element, dispose: () => disposer.dispose() };
}
