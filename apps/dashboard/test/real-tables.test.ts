// Real public tables as published (vega-datasets) through the dashboard, in Chromium, against the real API
// and worker: upload with column types forced, the column profile, a job trained from the page, and its
// evaluation drawn as the API computes it.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainyardClient, type Dataset, type Evaluation, type RawRow } from '@trainyard/client';
import { REPO_ROOT, startService, type RunningService } from '@trainyard/client/testing';
import { launchChromium } from './browser.ts';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
const DATA = join(REPO_ROOT, 'node_modules/vega-datasets/data');
const PENGUINS = join(DATA, 'penguins.json');
const WEATHER = join(DATA, 'seattle-weather.csv');
const UI_TIMEOUT_MS = 90_000;

let service: RunningService;
let client: TrainyardClient;
let browser: Browser;
let page: Page;
let penguins: RawRow[];
let weather: RawRow[];

beforeAll(async () => {
  service = await startService({ name: 'dashboard-tables' });
  client = new TrainyardClient({ baseUrl: service.url, apiKey: service.apiKey });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  // Signed in from the first page on (the sign-in itself is dashboard.test.ts's concern).
  await context.addInitScript((apiKey) => localStorage.setItem('trainyard.apiKey', apiKey), service.apiKey);
  page = await context.newPage();
  penguins = JSON.parse(await readFile(PENGUINS, 'utf8')) as RawRow[];
  weather = simpleCsv(await readFile(WEATHER, 'utf8'));
  await mkdir(ARTIFACTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await service?.stop();
});

/** seattle-weather.csv has no quoted fields and no gaps: a split reads it. */
function simpleCsv(text: string): RawRow[] {
  const [header, ...lines] = text.trim().split('\n').map((line) => line.split(','));
  return lines.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i]])));
}

/** A number as the page prints it (4 significant digits, thousands separators) equals the API's value. */
function expectShown(text: string | null, value: number, what: string): void {
  const shown = Number((text ?? '').replace(/,/g, '').replace(/%$/, ''));
  const expected = text?.endsWith('%') ? value * 100 : value;
  expect(Math.abs(shown - expected), `${what}: "${text}" for ${value}`).toBeLessThanOrEqual(5e-3 * Math.abs(expected) + 1e-9);
}

/** How often each value of a column occurs in the source file, most frequent first (missing left out). */
function frequencies(rows: RawRow[], column: string): [string, number][] {
  const counts = new Map<string, number>();
  for (const row of rows) if (row[column] !== null && row[column] !== undefined) counts.set(String(row[column]), (counts.get(String(row[column])) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/** Opens the datasets page's upload, chooses `file` and waits for its columns to be listed from its header. */
async function chooseFile(file: string, columns: string[]): Promise<void> {
  await page.goto(`${service.url}/datasets`);
  await page.locator('details.upload-card > summary').click();
  await page.setInputFiles('input[name="file"]', file);
  await page.locator('.column-types tr[data-column]').nth(columns.length - 1).waitFor();
  expect(await page.locator('.column-types tr[data-column]').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.column))).toEqual(columns);
}

const columnType = (column: string) => page.locator(`.column-types tr[data-column="${column}"] select`);

/** Uploads what the form holds and answers the dataset the page went to, as the API serves it. */
async function upload(): Promise<Dataset> {
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.waitForURL(/\/datasets\/ds_[\w-]+$/);
  const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  await page.locator('table.column-profile').waitFor();
  return client.getDataset(id);
}

/** Every number of the API's profile is on the page, in the API's column order. */
async function expectProfileShown(dataset: Dataset): Promise<void> {
  const facts = { task: dataset.task, rows: dataset.rows.toLocaleString('en-US'), target: dataset.target, classes: String(dataset.classes?.length ?? '–'), 'rows without target': String(dataset.rowsWithoutTarget) };
  for (const [label, value] of Object.entries(facts)) expect(await page.locator(`[data-fact="${label}"] dd`).textContent(), label).toBe(value);
  const rows = page.locator('table.column-profile tbody tr');
  expect(await rows.evaluateAll((all) => all.map((row) => (row as HTMLElement).dataset.column))).toEqual(dataset.columns!.map((column) => column.name));
  for (const column of dataset.columns!) {
    const cell = (name: string) => page.locator(`table.column-profile tr[data-column="${column.name}"] [data-cell="${name}"]`);
    expect(await cell('type').textContent(), column.name).toBe(column.type);
    expect(await cell('role').textContent(), column.name).toBe(column.role);
    expect(await cell('missing').locator('.count').textContent(), column.name).toBe(String(column.missing));
    expect(await cell('missing').locator('.muted').textContent(), column.name).toBe(`(${((100 * column.missing) / dataset.rows).toFixed(1)}%)`);
    expect(Number((await cell('distinct').textContent())!.replace(/,/g, '')), column.name).toBe(column.distinct);
    if (column.type === 'number') for (const key of ['mean', 'std', 'min', 'max'] as const) expectShown(await cell(key).textContent(), column[key]!, `${column.name} ${key}`);
    const top = await cell('topValues').locator('.top-value').evaluateAll((values) => values.map((value) => [(value as HTMLElement).dataset.value, Number((value as HTMLElement).dataset.count), value.querySelector('.top-value-count')!.textContent]));
    expect(top, column.name).toEqual((column.topValues ?? []).map(({ value, count }) => [value, count, count.toLocaleString('en-US')]));
  }
}

/** From the dataset's page: a job with a held-out test split; resolves once its page shows it succeeded. */
async function trainFromDatasetPage(dataset: Dataset, epochs: number): Promise<string> {
  await page.getByRole('link', { name: 'New job with it' }).click();
  await page.waitForURL(/\/submit\?dataset=/);
  await page.locator(`select[name="dataset"] option[value="${dataset.id}"]`).waitFor({ state: 'attached' });
  expect(await page.inputValue('select[name="dataset"]')).toBe(dataset.id);
  expect(await page.inputValue('[data-path="model.layers[1].units"] input')).toBe(String(dataset.classes?.length ?? 1));
  await page.fill('input[name="epochs"]', String(epochs));
  await page.fill('input[name="batchSize"]', '16');
  await page.fill('input[name="testSplit"]', '0.2');
  await page.fill('input[name="seed"]', '5');
  await page.getByRole('button', { name: 'Submit job' }).click();
  await page.waitForURL(/\/jobs\/job_[\w-]+$/);
  await page.locator('h1 .badge[data-status="succeeded"]').waitFor({ timeout: UI_TIMEOUT_MS });
  await page.locator('.evaluation[data-state="ready"]').waitFor();
  return new URL(page.url()).pathname.split('/').pop()!;
}

/** The importance bars: one per feature, in the API's order (highest first), as long as their importance. */
async function expectImportanceShown(evaluation: Evaluation, features: string[]): Promise<void> {
  const bars = await page.locator('.importance-row').evaluateAll((rows) =>
    rows.map((row) => ({ feature: (row as HTMLElement).dataset.feature!, width: row.querySelector('.importance-bar')!.getBoundingClientRect().width, value: row.querySelector('.importance-value')!.textContent })),
  );
  const expected = [...evaluation.featureImportance].sort((a, b) => b.importance - a.importance);
  expect(bars.map((bar) => bar.feature)).toEqual(expected.map((entry) => entry.feature));
  expect(new Set(bars.map((bar) => bar.feature))).toEqual(new Set(features));
  const widest = Math.max(...bars.map((bar) => bar.width));
  const largest = Math.max(...expected.map((entry) => Math.abs(entry.importance)));
  expect(largest, 'some column matters').toBeGreaterThan(0);
  bars.forEach((bar, i) => {
    expectShown(bar.value, expected[i].importance, `importance of ${bar.feature}`);
    expect(Math.abs(bar.width - (widest * Math.abs(expected[i].importance)) / largest), `bar of ${bar.feature}`).toBeLessThan(1.5);
  });
}

describe('penguins.json as published: categories and gaps', () => {
  let dataset: Dataset;
  let jobId: string;

  it('lists the file\'s columns before uploading, and shows the API\'s per-column problem beside the column it names', async () => {
    await chooseFile(PENGUINS, Object.keys(penguins[0]));
    expect(await page.inputValue('input[name="name"]')).toBe('penguins');
    // The island is the target: Adelie penguins live on all three, so the model confuses some (see below).
    await page.selectOption('select[name="target"]', 'Island');
    await columnType('Sex').selectOption('number');
    await page.getByRole('button', { name: 'Upload' }).click();
    const problem = page.locator('.column-types tr[data-column="Sex"] .field-error');
    await problem.waitFor();
    const sexes = penguins.flatMap((row, i) => (row.Sex === null ? [] : [i + 1])); // rows with a value, numbered from 1
    expect(await problem.textContent()).toBe(`${sexes.length} values are not numbers (rows ${sexes.slice(0, 10).join(', ')}, …)`);
    expect(await page.locator('.upload-form .error-box strong').textContent()).toMatch(/do not fit/);
    expect(new URL(page.url()).pathname).toBe('/datasets');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-upload-error.png'), fullPage: true });
  });

  it('uploads it with a column forced to category and shows the profile the API computed', async () => {
    await columnType('Sex').selectOption('');
    await columnType('Flipper Length (mm)').selectOption('category');
    dataset = await upload();
    expect(dataset.columns!.find((column) => column.name === 'Flipper Length (mm)')!.type).toBe('category');
    await expectProfileShown(dataset);
    // Independently of the API: the file's own gaps and frequencies.
    const sex = page.locator('table.column-profile tr[data-column="Sex"]');
    expect(await sex.locator('[data-cell="missing"] .count').textContent()).toBe(String(penguins.filter((row) => row.Sex === null || row.Sex === undefined).length));
    const island = await page.locator('tr[data-column="Island"] .top-value').evaluateAll((values) => values.map((value) => [(value as HTMLElement).dataset.value, Number((value as HTMLElement).dataset.count)]));
    expect(island).toEqual(frequencies(penguins, 'Island'));
    expect(await page.locator('.classes .badge').allTextContents()).toEqual(['Biscoe', 'Dream', 'Torgersen']);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-dataset.png'), fullPage: true });
  });

  it('trains a job from the dataset page; its evaluation shows the API\'s confusion matrix, per-class scores and importance', async () => {
    jobId = await trainFromDatasetPage(dataset, 40);
    const evaluation = await client.evaluation(jobId);
    const { confusion, perClass, accuracy, macroF1, rocAuc } = evaluation.classification!;
    const summary = page.locator('.evaluation-summary');
    expect(await summary.getAttribute('data-split')).toBe('test');
    expect(Number(await summary.getAttribute('data-rows'))).toBe(evaluation.rows);
    expect(await summary.textContent()).toContain(evaluation.snapshotId);

    expect(await page.locator('table.confusion th[scope="col"]').allTextContents()).toEqual(confusion.labels);
    expect(await page.locator('table.confusion th[scope="row"]').allTextContents()).toEqual(confusion.labels);
    const shown = await page.locator('table.confusion tbody tr').evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => Number(cell.textContent))));
    expect(shown).toEqual(confusion.counts);
    expect(confusion.counts.flat().reduce((sum, count) => sum + count, 0)).toBe(evaluation.rows);
    // Some true class is confused with another, and not symmetrically: a transposed matrix would not pass.
    expect(confusion.counts.some((row, i) => row.some((count, j) => count !== confusion.counts[j][i]))).toBe(true);
    // Colour follows the share of the true class: within a row, more rows is darker.
    const reds = await page.locator('table.confusion tbody tr').evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => Number(/\d+/.exec(getComputedStyle(cell).backgroundColor)![0]))));
    confusion.counts.forEach((row, i) => row.forEach((count, j) => row.forEach((other, k) => {
      if (count > other) expect(reds[i][j], `cell ${i},${j} vs ${i},${k}`).toBeLessThan(reds[i][k]);
    })));

    const classRows = page.locator('table.per-class tbody tr');
    expect(await classRows.evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.label))).toEqual(perClass.map((entry) => entry.label));
    for (const entry of perClass) {
      const cell = (name: string) => page.locator(`table.per-class tr[data-label="${entry.label}"] [data-cell="${name}"]`).textContent();
      for (const key of ['precision', 'recall', 'f1'] as const) expectShown(await cell(key), entry[key], `${entry.label} ${key}`);
      expect(Number(await cell('support'))).toBe(entry.support);
    }
    expectShown(await page.locator('[data-score="accuracy"] dd').textContent(), accuracy, 'accuracy');
    expectShown(await page.locator('[data-score="macroF1"] dd').textContent(), macroF1, 'macro F1');
    expectShown(await page.locator('[data-score="rocAuc"] dd').textContent(), rocAuc!, 'ROC AUC');
    await expectImportanceShown(evaluation, dataset.features);
    await page.locator('.evaluation').screenshot({ path: join(ARTIFACTS, 'dashboard-evaluation.png') });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-job-table.png'), fullPage: true });
  });

  it('evaluates an earlier snapshot of the job when it is chosen', async () => {
    const earliest = (await client.listSnapshots(jobId, { limit: 100 })).data.sort((a, b) => a.epoch - b.epoch)[0];
    const evaluation = await client.evaluation(jobId, { snapshot: earliest.id });
    await page.selectOption('select[name="evaluation-snapshot"]', earliest.id);
    await page.locator('.evaluation-summary', { hasText: earliest.id }).waitFor();
    await page.locator('.evaluation[data-state="ready"]').waitFor();
    const shown = await page.locator('table.confusion tbody tr').evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => Number(cell.textContent))));
    expect(shown).toEqual(evaluation.classification!.confusion.counts);
    expectShown(await page.locator('[data-score="logLoss"] dd').textContent(), evaluation.classification!.logLoss, 'log loss');
    await page.selectOption('select[name="evaluation-snapshot"]', '');
    await page.locator('.evaluation-summary', { hasText: (await client.getJob(jobId)).finalSnapshot! }).waitFor();
  });

  it('predicts a raw row with categories and a gap, as the API does, and links the job to its dataset', async () => {
    const row = penguins.find((candidate) => candidate.Sex === null && candidate['Body Mass (g)'] !== null)!; // measured, sex missing
    for (const feature of dataset.features) await page.fill(`.predict [name="${feature}"]`, row[feature] === null ? '' : String(row[feature]));
    const [request] = await Promise.all([
      page.waitForRequest((candidate) => candidate.url().endsWith(`/v1/jobs/${jobId}/predict`)),
      page.locator('.predict').getByRole('button', { name: 'Predict' }).click(),
    ]);
    await page.locator('.predicted-label').waitFor();
    // Numbers as numbers, categories (Flipper Length forced to one) as strings, the gap as null.
    const types = new Map(dataset.columns!.map((column) => [column.name, column.type]));
    const expected = dataset.features.map((feature) => [feature, row[feature] === null ? null : types.get(feature) === 'number' ? row[feature] : String(row[feature])]);
    const sent = JSON.parse(request.postData()!) as { rows: RawRow[] };
    expect(sent.rows).toEqual([Object.fromEntries(expected)]);
    expect(await page.locator('.predicted-label').getAttribute('data-label')).toBe((await client.predict(jobId, { rows: [row] })).labels![0]);

    await page.locator('a.dataset-link').click();
    await page.waitForURL(`${service.url}/datasets/${dataset.id}`);
    await page.locator('table.column-profile').waitFor();
  });
});

describe('seattle-weather.csv as published: dates, a regression target', () => {
  let dataset: Dataset;
  let jobId: string;

  it('uploads the CSV with a column ignored; the date column\'s range shows as the file\'s first and last dates', async () => {
    await chooseFile(WEATHER, Object.keys(weather[0]));
    await page.selectOption('select[name="target"]', 'temp_max');
    await columnType('wind').selectOption('ignore');
    dataset = await upload();
    expect(dataset.task).toBe('regression');
    expect(dataset.columns!.find((column) => column.name === 'wind')!.role).toBe('ignored');
    await expectProfileShown(dataset);
    const date = (cell: string) => page.locator(`tr[data-column="date"] [data-cell="${cell}"]`).textContent();
    const dates = weather.map((row) => String(row.date)).sort();
    expect(await date('min')).toBe(dates[0]);
    expect(await date('max')).toBe(dates.at(-1));
    const column = dataset.columns!.find((candidate) => candidate.name === 'date')!;
    expect(await date('mean')).toBe(new Date(column.mean! * 1000).toISOString().slice(0, 10)); // a column of dates: its mean as a date
    expectShown((await date('std'))!.replace(' days', ''), column.std! / 86_400, 'date std in days');
    expect(await page.locator('[data-fact="classes"] dd').textContent()).toBe('–');
  });

  it('trains a regression job; its evaluation plots every predicted-vs-actual pair the API returns, with y = x', async () => {
    jobId = await trainFromDatasetPage(dataset, 15);
    const evaluation = await client.evaluation(jobId);
    const regression = evaluation.regression!;
    for (const key of ['rmse', 'mae', 'r2', 'medianAbsoluteError'] as const) expectShown(await page.locator(`[data-score="${key}"] dd`).textContent(), regression[key], key);
    expect(await page.locator('table.confusion').count()).toBe(0);

    const pairs = regression.predictedVsActual!;
    const figure = page.locator('[data-chart="predicted-vs-actual"]');
    expect(Number(await figure.getAttribute('data-points'))).toBe(pairs.length);
    const dots = await figure.locator('circle.point').evaluateAll((circles) => circles.map((circle) => [Number(circle.getAttribute('cx')), Number(circle.getAttribute('cy'))]));
    expect(dots).toHaveLength(pairs.length);
    // Each dot sits at its pair: x is affine in the actual value, y in the predicted one, on one shared scale.
    const lowest = pairs.reduce((best, pair, i) => (pair.actual < pairs[best].actual ? i : best), 0);
    const highest = pairs.reduce((best, pair, i) => (pair.actual > pairs[best].actual ? i : best), 0);
    const scale = (dots[highest][0] - dots[lowest][0]) / (pairs[highest].actual - pairs[lowest].actual);
    pairs.forEach((pair, i) => {
      expect(dots[i][0] - dots[lowest][0], `x of pair ${i}`).toBeCloseTo(scale * (pair.actual - pairs[lowest].actual), 3);
      expect(dots[lowest][1] - dots[i][1], `y of pair ${i}`).toBeCloseTo(scale * (pair.predicted - pairs[lowest].predicted), 3); // SVG's y grows downwards
    });
    const identity = await figure.locator('line.identity').evaluate((line) => ['x1', 'y1', 'x2', 'y2'].map((name) => Number(line.getAttribute(name))));
    expect(identity[2] - identity[0]).toBeCloseTo(identity[1] - identity[3], 6); // a 45° line up the square plot

    await expectImportanceShown(evaluation, dataset.features);
    await page.locator('.evaluation').screenshot({ path: join(ARTIFACTS, 'dashboard-evaluation-regression.png') });
  });

  it('charts the regression job\'s RMSE and R², training and validation, through the API\'s last metric point', async () => {
    const points = await client.allMetrics(jobId);
    expect(points).toHaveLength(15);
    const last = points.at(-1)!;
    for (const chart of ['loss', 'rmse', 'r2']) {
      await page.waitForFunction(([name, count]) => Number(document.querySelector(`[data-chart="${name}"]`)?.getAttribute('data-points')) === count, [chart, points.length] as const);
    }
    const latest = async (chart: string) => JSON.parse((await page.locator(`[data-chart="${chart}"]`).getAttribute('data-latest'))!) as Record<string, number>;
    expect(await latest('rmse')).toEqual({ rmse: last.rmse, valRmse: last.valRmse });
    expect(await latest('r2')).toEqual({ r2: last.r2, valR2: last.valR2 });
    expect(await latest('loss')).toEqual({ loss: last.loss, valLoss: last.valLoss });
    for (const point of points) expect([point.rmse, point.valRmse, point.r2, point.valR2].every(Number.isFinite), `epoch ${point.epoch}`).toBe(true);
    expect(await page.locator('[data-chart="rmse"] figcaption').textContent()).toBe('RMSE');
    expect(await page.locator('[data-chart="r2"] figcaption').textContent()).toBe('R²');
    expect(await page.locator('[data-chart="accuracy"]').isHidden()).toBe(true);

    const job = await client.getJob(jobId);
    expectShown(await page.locator('[data-stat="val. RMSE"] dd').textContent(), job.metrics!.valRmse!, 'val. RMSE');
    expectShown(await page.locator('[data-stat="val. R²"] dd').textContent(), job.metrics!.valR2!, 'val. R²');
    expect(await page.locator('[data-stat="val. accuracy"]').count()).toBe(0);
    await page.locator('.charts').screenshot({ path: join(ARTIFACTS, 'dashboard-regression-curves.png') });
  });
});
