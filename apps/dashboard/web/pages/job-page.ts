import { isTerminal, watchJob, type Dataset, type Job, type JobEvent, type WatchMode } from '@trainyard/client';
import { datasetLink } from '../components/dataset-link.ts';
import { errorBox } from '../components/error-box.ts';
import { EvaluationPanel } from '../components/evaluation-panel.ts';
import { JobCharts } from '../components/job-charts.ts';
import { JobDetails } from '../components/job-details.ts';
import { MetricSeries } from '../components/metric-series.ts';
import { PredictForm } from '../components/predict-form.ts';
import { ReceiptPanel } from '../components/receipt-panel.ts';
import { replayNote } from '../components/replay-note.ts';
import { SnapshotsTable } from '../components/snapshots-table.ts';
import { progressBar, statusBadge } from '../components/status.ts';
import { trialNote } from '../components/trial-note.ts';
import { Disposer, h, replace } from '../dom.ts';
import { num, percent } from '../format.ts';
import { handleAuthError, navigate, type View } from '../router.ts';
import { session } from '../session.ts';

/** Streaming needs a readable response body; without it the watch polls. */
const CAN_STREAM = typeof ReadableStream !== 'undefined' && 'body' in Response.prototype;

const REFRESH_DEBOUNCE_MS = 300;

/** One job: live curves, progress, evaluation, spec and timings, receipt, snapshots, cancel, replay, predict. */
export function jobPage(jobId: string): View {
  const disposer = new Disposer();
  const client = session.client();
  const datasets = session.datasets();
  const series = new MetricSeries();
  const charts = new JobCharts(series);
  disposer.add(() => charts.dispose());

  const head = h('div', { class: 'page-head' });
  const live = h('span', { class: 'live muted', dataset: { mode: 'none' } });
  const progress = h('div', { class: 'card job-progress' });
  const message = h('div');
  const trialSlot = h('div');
  const details = new JobDetails(datasets);
  const receipt = new ReceiptPanel();
  const snapshots = new SnapshotsTable(client, jobId);
  const evaluation = new EvaluationPanel(client, jobId);
  const predictSlot = h('div');
  let job: Job | null = null;
  let predict: PredictForm | null = null;
  let dataset: Dataset | null = null;

  const element = h(
    'section',
    { class: 'job-page', dataset: { jobId } },
    h('a', { href: '/', class: 'back' }, '← Jobs'),
    head,
    trialSlot,
    message,
    progress,
    charts.element,
    evaluation.element,
    details.element,
    receipt.element,
    snapshots.element,
    predictSlot,
  );

  function redrawCharts(): void {
    charts.redraw(job && job.progress.steps > 0 ? job.progress.steps / job.progress.epochs : null);
  }

  function renderHead(current: Job): void {
    const cancel = h('button', { class: 'danger', onclick: () => void cancelJob(cancel) }, current.cancelRequested ? 'Cancelling…' : 'Cancel job');
    cancel.disabled = current.cancelRequested;
    const replay = h('button', { class: 'secondary', title: 'Train it again from the same inputs, on the same backend and thread count', onclick: () => void replayJob(replay) }, 'Replay');
    replace(
      head,
      h(
        'div',
        { class: 'job-title' },
        h('h1', null, h('span', { class: 'mono' }, current.id), ' ', statusBadge(current.status)),
        h('p', { class: 'job-subtitle muted' }, 'on ', datasetLink(datasets, current.dataset, 'job-dataset'), replayNote(current) ? ' · ' : null, replayNote(current)),
      ),
      h('div', { class: 'head-actions' }, live, isTerminal(current.status) ? null : cancel, current.status === 'succeeded' ? replay : null),
    );
  }

  function renderProgress(current: Job, samplesPerSecond = current.samplesPerSecond): void {
    const { epoch, epochs, step, steps, fraction } = current.progress;
    const latest = current.metrics;
    replace(
      progress,
      progressBar(fraction, `epoch ${epoch} / ${epochs}`, current.status),
      h(
        'dl',
        { class: 'stats' },
        stat('step', steps > 0 ? `${step} / ${steps}` : '–'),
        stat('samples/s', samplesPerSecond === null ? '–' : Math.round(samplesPerSecond).toLocaleString()),
        stat('backend', current.backend ?? '–'),
        stat('loss', num(latest?.loss)),
        stat('val. loss', num(latest?.valLoss)),
        ...(isRegression(current)
          ? [stat('val. RMSE', num(latest?.valRmse)), stat('val. R²', num(latest?.valR2))]
          : [stat('val. accuracy', percent(latest?.valAccuracy))]),
      ),
      current.error ? h('div', { class: 'error-box' }, h('strong', null, current.error.code), `: ${current.error.message}`) : null,
      current.stoppedEarly ? h('p', { class: 'muted stop-reason' }, current.stopReason === 'pruned' ? 'Pruned: the sweep\'s ASHA rung stopped this trial (its weights are kept).' : 'Stopped early: the monitored metric stopped improving.') : null,
    );
  }

  /** Known from the dataset once it is read, from the metrics before that. */
  function isRegression(current: Job): boolean {
    return dataset?.task === 'regression' || current.metrics?.rmse !== undefined;
  }

  function render(current: Job): void {
    job = current;
    renderHead(current);
    renderProgress(current);
    details.show(current);
    receipt.show(current);
    evaluation.show(current, dataset?.target);
    if (dataset !== null) {
      predict ??= new PredictForm(client, current, dataset);
      if (predictSlot.firstChild !== predict.element) replace(predictSlot, predict.element);
      predict.setJob(current);
    }
  }

  async function refresh(): Promise<void> {
    const [current, page] = await Promise.all([client.getJob(jobId, disposer.signal), client.listSnapshots(jobId, { limit: 100 }, disposer.signal)]);
    render(current);
    snapshots.show(page.data);
    evaluation.setSnapshots(page.data);
  }

  /** Snapshot events come in bursts (periodic + best at one epoch end): one re-read per burst. */
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  disposer.add(() => clearTimeout(refreshTimer));
  function scheduleRefresh(): void {
    if (refreshTimer !== undefined) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined;
      refresh().catch(() => undefined);
    }, REFRESH_DEBOUNCE_MS);
  }

  async function cancelJob(button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      render(await client.cancelJob(jobId));
    } catch (error) {
      if (!handleAuthError(error)) replace(message, errorBox(error));
      button.disabled = false;
    }
  }

  /** A new job from exactly this one's inputs (`POST /v1/jobs/:id/replay`, not in the typed client): its page is next. */
  async function replayJob(button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      const replayed = await client.json<Job>('POST', `/v1/jobs/${encodeURIComponent(jobId)}/replay`);
      navigate(`/jobs/${encodeURIComponent(replayed.id)}`);
    } catch (error) {
      if (!handleAuthError(error)) replace(message, errorBox(error));
      button.disabled = false;
    }
  }

  /** Live events move the page; status and snapshot events re-read what they summarise. */
  function onEvent(event: JobEvent): void {
    if (job === null) return;
    switch (event.type) {
      case 'metrics': {
        series.upsert(event.data);
        const { epoch: _epoch, step: _step, at: _at, ...metrics } = event.data;
        job.metrics = metrics;
        redrawCharts();
        renderProgress(job);
        break;
      }
      case 'progress': {
        const { samplesPerSecond, ...progress } = event.data;
        job.progress = progress;
        if (job.status === 'queued') job.status = 'running';
        renderProgress(job, samplesPerSecond);
        // The read that followed `running` may have raced the worker's first write: read again until the backend shows.
        if (job.backend === null) scheduleRefresh();
        break;
      }
      case 'status':
      case 'snapshot':
        scheduleRefresh();
        break;
    }
  }

  function setMode(mode: WatchMode | 'done'): void {
    live.dataset.mode = mode;
    live.textContent = mode === 'stream' ? '● live' : mode === 'polling' ? '● live (polling)' : '';
  }

  async function start(): Promise<void> {
    try {
      const current = await client.getJob(jobId, disposer.signal);
      job = current;
      replace(trialSlot, trialNote(client, current, disposer.signal));
      dataset = await datasets.get(current.dataset).catch(() => null);
      await refresh();
      if (isTerminal(current.status)) {
        for (const point of await client.allMetrics(jobId, undefined, disposer.signal)) series.upsert(point);
        redrawCharts();
        return;
      }
      // Replays every event from the start (the whole curve), then follows live.
      await watchJob(client, jobId, { onEvent, onModeChange: setMode, signal: disposer.signal, pollOnly: !CAN_STREAM });
      setMode('done');
      await refresh();
    } catch (error) {
      if (disposer.signal.aborted || handleAuthError(error)) return;
      setMode('done');
      replace(message, errorBox(error));
    }
  }

  void start();
  return { title: jobId, element, dispose: () => disposer.dispose() };
}

function stat(label: string, value: string): HTMLElement {
  return h('div', { class: 'stat', dataset: { stat: label } }, h('dt', null, label), h('dd', null, value));
}
