// Sweeps in a real browser against the real API and a worker: a grid started from the form and watched live to
// its end, its leaderboard and plots checked against the API's, a trial's job page, a longer random sweep
// cancelled from its page, and the API's 422s shown where they belong.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startService, type RunningService } from '@trainyard/client/testing';
import type { Sweep, Trial } from '../web/sweeps/types.ts';
import { launchChromium } from './browser.ts';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
/** Longest wait for something on the page (a sweep that trains, a stream that delivers). */
const UI_TIMEOUT_MS = 120_000;

let service: RunningService;
let browser: Browser;
let page: Page;
/** The grid sweep started from the form, watched to its end. */
let gridId: string;

async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${service.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${service.apiKey}`, ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

const getSweep = async (id: string) => (await api<Sweep>(`/v1/sweeps/${id}`)).body;
const getTrials = async (id: string) => (await api<{ data: Trial[] }>(`/v1/sweeps/${id}/trials?limit=100`)).body.data;

const waitForStatus = (status: Sweep['status']) => page.locator(`h1 .badge[data-status="${status}"]`).waitFor({ timeout: UI_TIMEOUT_MS });

/** The n-th row of the form's parameters table. */
const parameterRow = (index: number) => page.locator('.parameter-row').nth(index);

async function setParameter(index: number, path: string, kind: 'values' | 'uniform' | 'logUniform' | 'intUniform', values: string | [number, number]): Promise<void> {
  const row = parameterRow(index);
  await row.locator('input[name="path"]').fill(path);
  await row.locator('select[name="kind"]').selectOption(kind);
  if (typeof values === 'string') await row.locator('input[name="values"]').fill(values);
  else {
    await row.locator('input[name="low"]').fill(String(values[0]));
    await row.locator('input[name="high"]').fill(String(values[1]));
  }
}

/** Clicks Start sweep; answers the body the page sent and the sweep it opened. */
async function startSweep(): Promise<{ sent: Record<string, unknown>; id: string }> {
  const [request] = await Promise.all([
    page.waitForRequest((candidate) => new URL(candidate.url()).pathname === '/v1/sweeps' && candidate.method() === 'POST'),
    page.getByRole('button', { name: 'Start sweep' }).click(),
  ]);
  await page.waitForURL(/\/sweeps\/swp_[\w-]+$/, { timeout: UI_TIMEOUT_MS });
  return { sent: request.postDataJSON() as Record<string, unknown>, id: new URL(page.url()).pathname.split('/').pop()! };
}

beforeAll(async () => {
  // Two trials at once on one worker, as parallelism 2 asks.
  service = await startService({ name: 'dashboard-sweeps', env: { WORKER_CONCURRENCY: '2' } });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  await context.addInitScript((apiKey) => localStorage.setItem('trainyard.apiKey', apiKey), service.apiKey);
  page = await context.newPage();
  await mkdir(ARTIFACTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await service?.stop();
});

describe('sweeps', () => {
  it('starts a 2×2 grid sweep on iris from the form and follows it live until it succeeds', async () => {
    await page.goto(`${service.url}/`);
    await page.getByRole('link', { name: 'Sweeps' }).first().click();
    await page.waitForURL(`${service.url}/sweeps`);
    await page.getByText('No sweeps yet').waitFor();
    const base = {
      dataset: 'builtin:iris',
      model: { layers: [{ units: 8, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
      training: { epochs: 12, batchSize: 8, optimizer: { type: 'adam', learningRate: 0.01 }, seed: 2 },
    };
    await page.fill('textarea[name="base"]', JSON.stringify(base, null, 2));
    await setParameter(0, 'training.optimizer.learningRate', 'values', '0.1, 0.001');
    await setParameter(1, 'model.layers.0.units', 'values', '4, 16');
    await page.fill('input[name="parallelism"]', '2');
    await page.selectOption('select[name="metric"]', 'valAccuracy');
    expect(await page.inputValue('select[name="goal"]')).toBe('maximize'); // the goal follows the metric
    await page.check('input[name="asha"]');
    await page.fill('input[name="minEpochs"]', '3');
    await page.fill('input[name="reductionFactor"]', '2');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-sweep-form.png'), fullPage: true });

    const [{ sent, id }] = await Promise.all([startSweep(), page.waitForRequest((request) => request.url().endsWith('/events'))]);
    gridId = id;
    expect(sent).toEqual({
      base,
      parameters: { 'training.optimizer.learningRate': { values: [0.1, 0.001] }, 'model.layers.0.units': { values: [4, 16] } },
      method: 'grid',
      parallelism: 2,
      objective: { metric: 'valAccuracy', goal: 'maximize' },
      pruning: { type: 'asha', minEpochs: 3, reductionFactor: 2 },
    });
    expect((await getSweep(gridId)).trials.total).toBe(4);

    // Live: the page moves without a reload, through a state where some trials have ended and others not. Every
    // state the page shows is recorded as it is rendered, so a short one is not missed between two polls.
    await page.evaluate(() => {
      const win = window as unknown as { notReloaded: boolean; seen: string[] };
      win.notReloaded = true;
      win.seen = [];
      const record = () => {
        const ended = document.querySelector('[data-count="succeeded"] strong')?.textContent ?? '';
        const state = `${document.querySelector('.sweep-page')?.getAttribute('data-status')}:${ended}`;
        if (win.seen.at(-1) !== state) win.seen.push(state);
      };
      record();
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await page.locator('.live[data-mode="stream"]').waitFor();
    await waitForStatus('succeeded');
    await page.locator('.live[data-mode="done"]').waitFor({ state: 'attached' });
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    expect(seen.some((state) => /^running:[123]$/.test(state)), seen.join(' → ')).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await page.getByRole('button', { name: 'Cancel sweep' }).count()).toBe(0);

    const sweep = await getSweep(gridId);
    expect(sweep.status).toBe('succeeded');
    for (const key of ['total', 'queued', 'running', 'succeeded', 'failed', 'cancelled', 'pruned'] as const) {
      expect(await page.locator(`[data-count="${key}"] strong`).textContent(), key).toBe(String(sweep.trials[key]));
    }
    expect(await page.locator('a.best-job').getAttribute('href')).toBe(`/jobs/${sweep.best!.jobId}`);
    expect(await page.locator('.best-value').getAttribute('data-value')).toBe(String(sweep.best!.value));
    expect(await page.locator('.parameter-space [data-parameter="training.optimizer.learningRate"]').textContent()).toBe('0.1, 0.001');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-sweep.png'), fullPage: true });
  });

  it('shows the leaderboard as GET /v1/sweeps/:id/trials has it: order, values, parameters, epochs, pruned', async () => {
    const trials = await getTrials(gridId);
    expect(trials).toHaveLength(4);
    const rows = page.locator('table.leaderboard tbody tr');
    expect(await rows.count()).toBe(trials.length);
    for (const [index, trial] of trials.entries()) {
      const row = rows.nth(index);
      expect(await row.getAttribute('data-job-id')).toBe(trial.jobId);
      expect(await row.locator('td.rank').textContent()).toBe(String(index + 1));
      expect(await row.locator('[data-cell="trial"]').textContent()).toBe(String(trial.trial));
      expect(await row.getAttribute('data-status')).toBe(trial.status);
      expect(await row.locator('[data-cell="value"]').getAttribute('data-value')).toBe(trial.value === null ? '' : String(trial.value));
      expect(await row.locator('[data-cell="epochs"]').textContent()).toBe(String(trial.epochs));
      expect(await row.getAttribute('data-pruned')).toBe(String(trial.stopReason === 'pruned'));
      expect(await row.locator('.pruned-marker').count()).toBe(trial.stopReason === 'pruned' ? 1 : 0);
      expect(await row.locator(`a[href="/jobs/${trial.jobId}"]`).count()).toBe(1);
      for (const [path, value] of Object.entries(trial.parameters)) {
        expect(JSON.parse((await row.locator(`[data-param="${path}"]`).getAttribute('data-value'))!), path).toEqual(value);
      }
    }
    // Every combination, once.
    expect(trials.map((t) => `${t.parameters['training.optimizer.learningRate']}/${t.parameters['model.layers.0.units']}`).sort()).toEqual(['0.001/16', '0.001/4', '0.1/16', '0.1/4']);
  });

  it('plots the objective against each parameter: one point per trial with a value, pruned ones hollow', async () => {
    const trials = await getTrials(gridId);
    const withValue = trials.filter((trial) => trial.value !== null);
    const pruned = withValue.filter((trial) => trial.stopReason === 'pruned');
    const figures = page.locator('figure[data-chart="objective"]');
    expect(await figures.count()).toBe(2);
    for (const path of ['training.optimizer.learningRate', 'model.layers.0.units']) {
      const figure = page.locator(`figure[data-chart="objective"][data-parameter="${path}"]`);
      expect(await figure.getAttribute('data-points')).toBe(String(withValue.length));
      expect(await figure.locator('circle.point').count()).toBe(withValue.length);
      expect(await figure.locator('circle.point.pruned').count()).toBe(pruned.length);
      expect(await figure.locator(`circle.point.best[data-job-id="${(await getSweep(gridId)).best!.jobId}"]`).count()).toBe(1);
    }
    // 0.1 and 0.001 are two decades apart: a log axis; 4 and 16 a linear one.
    expect(await page.locator('figure[data-parameter="training.optimizer.learningRate"]').getAttribute('data-scale')).toBe('log');
    expect(await page.locator('figure[data-parameter="model.layers.0.units"]').getAttribute('data-scale')).toBe('linear');
    // The best trial is highest on every plot (maximize): no point above it.
    const heights = await page.locator('figure[data-parameter="model.layers.0.units"] circle.point').evaluateAll((circles) =>
      circles.map((circle) => ({ best: circle.classList.contains('best'), y: Number(circle.getAttribute('cy')) })));
    const bestY = heights.find((point) => point.best)!.y;
    expect(heights.every((point) => point.y >= bestY - 1e-9)).toBe(true);
  });

  it('says on a trial\'s job page which trial of which sweep it is, with its parameters', async () => {
    const [first] = await getTrials(gridId);
    await page.locator(`table.leaderboard a[href="/jobs/${first.jobId}"]`).click();
    await page.waitForURL(`${service.url}/jobs/${first.jobId}`);
    const note = page.locator(`.trial-note[data-trial="${first.trial}"]`);
    await note.waitFor();
    expect(await note.locator('a.sweep-link').getAttribute('href')).toBe(`/sweeps/${gridId}`);
    expect((await note.textContent())!.startsWith(`Trial ${first.trial} of sweep ${gridId}`)).toBe(true);
    for (const [path, value] of Object.entries(first.parameters)) {
      expect(JSON.parse((await note.locator(`[data-param="${path}"]`).getAttribute('data-value'))!)).toEqual(value);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-sweep-trial.png') });
    await note.locator('a.sweep-link').click();
    await page.waitForURL(`${service.url}/sweeps/${gridId}`);
    await waitForStatus('succeeded');
  });

  it('cancels a longer random sweep from its page; the API then says cancelled and its trials stop', async () => {
    await page.getByRole('link', { name: 'Sweeps' }).first().click();
    await page.locator(`tr[data-sweep-id="${gridId}"] .badge[data-status="succeeded"]`).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-sweeps.png') });
    await page.fill('textarea[name="base"]', JSON.stringify({
      dataset: 'builtin:mnist',
      model: { layers: [{ units: 32, activation: 'relu' }, { units: 10, activation: 'softmax' }] },
      training: { epochs: 500, batchSize: 32 },
    }));
    await setParameter(0, 'training.optimizer.learningRate', 'logUniform', [0.0001, 0.01]);
    await parameterRow(1).getByTitle('Remove this parameter').click();
    await page.selectOption('select[name="method"]', 'random');
    await page.fill('input[name="trials"]', '4');
    await page.fill('input[name="seed"]', '7');
    const { sent, id } = await startSweep();
    expect(sent).toMatchObject({ method: 'random', trials: 4, seed: 7, parameters: { 'training.optimizer.learningRate': { logUniform: [0.0001, 0.01] } } });

    await page.locator('table.leaderboard tr[data-status="running"]').first().waitFor();
    expect(await page.locator('figure[data-parameter="training.optimizer.learningRate"]').getAttribute('data-scale')).toBe('log');
    await page.getByRole('button', { name: 'Cancel sweep' }).click();
    await waitForStatus('cancelled');
    expect(await page.getByRole('button', { name: 'Cancel sweep' }).count()).toBe(0);
    expect((await getSweep(id)).status).toBe('cancelled');

    // The page follows the stopping trials to the end.
    await page.locator('.live[data-mode="done"]').waitFor({ state: 'attached' });
    const sweep = await getSweep(id);
    expect(sweep.trials.running + sweep.trials.queued).toBe(0);
    const trials = await getTrials(id);
    expect(trials.every((trial) => trial.status === 'cancelled')).toBe(true);
    expect(await page.locator('table.leaderboard tbody tr[data-job-id]').count()).toBe(trials.length);
    expect(await page.locator('[data-count="cancelled"] strong').textContent()).toBe(String(sweep.trials.cancelled));
    // Trials the cancel kept from being created are counted apart.
    const notStarted = page.locator('[data-count="notStarted"] strong');
    if (trials.length < sweep.trials.total) expect(await notStarted.textContent()).toBe(String(sweep.trials.total - trials.length));
    else expect(await notStarted.count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-sweep-cancelled.png'), fullPage: true });
  });

  it('shows the API\'s 422 beside the parameter it names, and a trial\'s problem in the error box', async () => {
    await page.goto(`${service.url}/sweeps`);
    const base = { dataset: 'builtin:iris', model: { layers: [{ units: 4, activation: 'relu' }, { units: 3, activation: 'softmax' }] } };
    await page.fill('textarea[name="base"]', JSON.stringify(base));
    await setParameter(1, 'model.layers.4.units', 'values', '8');
    const expected = await api<{ error: { message: string; details: { path: string; message: string }[] } }>('/v1/sweeps', {
      method: 'POST',
      body: { base, parameters: { 'training.optimizer.learningRate': { values: [0.1, 0.01] }, 'model.layers.4.units': { values: [8] } }, method: 'grid', parallelism: 2, objective: { metric: 'valLoss', goal: 'minimize' }, pruning: null },
    });
    expect(expected.status).toBe(422);
    const detail = expected.body.error.details.find((candidate) => candidate.path === 'parameters.model.layers.4.units')!;
    expect(detail).toBeDefined();

    await page.getByRole('button', { name: 'Start sweep' }).click();
    const error = page.locator('[data-path="parameters.model.layers.4.units"] .field-error');
    await error.waitFor();
    expect(await error.textContent()).toBe(detail.message);
    expect(await page.locator('.sweep-form .error-box strong').textContent()).toBe(expected.body.error.message);
    expect(page.url()).toBe(`${service.url}/sweeps`);
    await page.locator('.sweep-form-card').screenshot({ path: join(ARTIFACTS, 'dashboard-sweep-422.png') });

    // An output layer whose units the dataset does not allow: trial 1's job is invalid, said in the error box.
    await setParameter(1, 'model.layers.1.units', 'values', '3, 5');
    await page.getByRole('button', { name: 'Start sweep' }).click();
    await page.locator('.sweep-form .error-box strong', { hasText: /^trial 1 / }).waitFor();
    expect(await page.locator('[data-path="parameters.model.layers.4.units"]').count()).toBe(0);
    expect(page.url()).toBe(`${service.url}/sweeps`);
  });
});
