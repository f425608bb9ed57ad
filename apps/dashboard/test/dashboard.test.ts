// The dashboard in a real browser (Debian's Chromium, headless) against the real API and a real worker
// process: what a person watching a training run does.
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainyardClient, type Job } from '@trainyard/client';
import { readSafetensorsHeader, REPO_ROOT, startService, type RunningService } from '@trainyard/client/testing';
import { launchChromium } from './browser.ts';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
/** Longest wait for something on the page (a job that trains, a stream that delivers). */
const UI_TIMEOUT_MS = 90_000;
/** Epochs of the job watched to the end: enough for a curve worth a screenshot, few enough to stay quick. */
const WATCHED_EPOCHS = 60;

let service: RunningService;
let client: TrainyardClient;
let browser: Browser;
let page: Page;
/** Filled in as the scenario goes: a long job to cancel, and the job watched to the end. */
let longJobId: string;
let watchedJobId: string;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Clicks a download button and answers the saved file's name and bytes. */
async function downloadFrom(button: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [saved] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const path = join(ARTIFACTS, saved.suggestedFilename());
  await saved.saveAs(path);
  return { name: saved.suggestedFilename(), bytes: await readFile(path) };
}

const chartPoints = (chart: 'loss' | 'accuracy') =>
  page.locator(`[data-chart="${chart}"]`).getAttribute('data-points').then((value) => Number(value ?? 0));

/** Waits until the loss chart shows at least `count` points. */
const waitForPoints = (count: number) =>
  page.waitForFunction((wanted) => Number(document.querySelector('[data-chart="loss"]')?.getAttribute('data-points') ?? 0) >= wanted, count, { timeout: UI_TIMEOUT_MS });

const waitForStatus = (status: Job['status']) => page.locator(`h1 .badge[data-status="${status}"]`).waitFor({ timeout: UI_TIMEOUT_MS });

/** Fills the submit form for a job on a built-in dataset and submits it; resolves with the new job's id from the URL. */
async function submitJob(dataset: 'builtin:iris' | 'builtin:mnist', epochs: number, batchSize: number): Promise<string> {
  await page.getByRole('link', { name: 'New job' }).first().click();
  await page.locator(`select[name="dataset"] option[value="${dataset}"]`).waitFor({ state: 'attached' });
  await page.selectOption('select[name="dataset"]', dataset);
  await page.fill('input[name="epochs"]', String(epochs));
  await page.fill('input[name="batchSize"]', String(batchSize));
  await page.fill('input[name="seed"]', '3');
  await page.getByRole('button', { name: 'Submit job' }).click();
  await page.waitForURL(/\/jobs\/job_[\w-]+$/, { timeout: UI_TIMEOUT_MS });
  return new URL(page.url()).pathname.split('/').pop()!;
}

beforeAll(async () => {
  service = await startService({ name: 'dashboard' });
  client = new TrainyardClient({ baseUrl: service.url, apiKey: service.apiKey });
  browser = await launchChromium();
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  page = await context.newPage();
  await mkdir(ARTIFACTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await service?.stop();
});

describe('dashboard', () => {
  it('asks for an API key, refuses a wrong one, and signs in with the right one', async () => {
    await page.goto(service.url);
    await page.waitForURL(/\/sign-in/);
    await page.fill('input[name="apiKey"]', 'ty_wrong_key_000000000000000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('.error-box').textContent()).resolves.toMatch(/unauthorized|key/i);

    await page.fill('input[name="apiKey"]', service.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${service.url}/`);
    await page.getByText('No jobs yet').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('trainyard.apiKey'))).toBe(service.apiKey);
  });

  it('shows the engine banner only when /readyz names a faster backend than the one in use', async () => {
    const { engine } = (await (await fetch(`${service.url}/readyz`)).json()) as { engine?: { faster: { backend: string; how: string } | null } };
    await page.waitForLoadState('networkidle');
    const banner = page.locator('.engine-banner');
    if (engine?.faster) expect(await banner.locator('code.engine-how').textContent()).toBe(engine.faster.how);
    else expect(await banner.isHidden()).toBe(true); // this machine trains on its fastest backend (engine-banner.test.ts restricts one)
  });

  it('shows the API\'s validation errors beside the fields they concern', async () => {
    await page.getByRole('link', { name: 'New job' }).first().click();
    await page.locator('select[name="dataset"] option[value="builtin:iris"]').waitFor({ state: 'attached' });
    // The output layer follows the dataset: iris has 3 classes.
    expect(await page.inputValue('[data-path="model.layers[1].units"] input')).toBe('3');
    await page.fill('input[name="epochs"]', '0');
    await page.selectOption('[data-path="model.layers[0].activation"] select', 'softmax');
    await page.getByRole('button', { name: 'Submit job' }).click();
    const epochsError = page.locator('[data-path="training.epochs"] .field-error');
    await epochsError.waitFor();
    expect(await epochsError.textContent()).toMatch(/>= 1|minimum|at least/i);
    expect(page.url()).toMatch(/\/submit$/);

    // Fixed epochs, still a softmax in a hidden layer: the engine's own check, at its layer.
    await page.fill('input[name="epochs"]', '10');
    await page.getByRole('button', { name: 'Submit job' }).click();
    const layerError = page.locator('[data-path="model.layers[0].activation"] .field-error');
    await layerError.waitFor();
    expect(await layerError.textContent()).toContain('softmax is allowed on the last layer only');
    expect(await page.locator('[data-path="training.epochs"] .field-error').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-submit.png'), fullPage: true });
  });

  it('uploads a CSV from the submit page and offers it as the dataset, with its columns as targets', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i},${(i * 7) % 11},${i % 3 === 0 ? 'fizz' : 'plain'}`);
    await page.locator('details.upload > summary').click();
    await page.setInputFiles('input[name="file"]', { name: 'fizz.csv', mimeType: 'text/csv', buffer: Buffer.from(['n,m,kind', ...rows].join('\n')) });
    await page.locator('select[name="target"] option[value="kind"]').waitFor({ state: 'attached' });
    expect(await page.inputValue('select[name="target"]')).toBe('kind'); // the last column by default
    expect(await page.inputValue('input[name="name"]')).toBe('fizz');
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByText('Uploaded fizz: 30 rows.').waitFor();

    const uploaded = (await client.listDatasets()).data.find((dataset) => dataset.name === 'fizz')!;
    expect(uploaded).toMatchObject({ rows: 30, features: ['n', 'm'], target: 'kind', classes: ['fizz', 'plain'] });
    expect(await page.inputValue('select[name="dataset"]')).toBe(uploaded.id);
    // Two classes: the output layer follows.
    expect(await page.inputValue('[data-path="model.layers[1].units"] input')).toBe('2');
  });

  it('submits a long job and draws its curve live as epochs complete', async () => {
    // Minutes of training (MNIST epochs of tens of milliseconds): still running when the cancel test clicks.
    longJobId = await submitJob('builtin:mnist', 5000, 32);
    await waitForStatus('running');
    await page.locator('.live[data-mode="stream"]').waitFor();
    await waitForPoints(3);
    const seen = await chartPoints('loss');
    await waitForPoints(seen + 3); // still growing while we watch
    const backend = (await client.getJob(longJobId)).backend!;
    await page.locator('[data-stat="backend"] dd', { hasText: backend }).waitFor();
    expect(await page.locator('[data-stat="samples/s"] dd').textContent()).toMatch(/^\d[\d,.]*$/);
  });

  it('queues a second job behind it, and lists both with status filters', async () => {
    watchedJobId = await submitJob('builtin:iris', WATCHED_EPOCHS, 8);
    await waitForStatus('queued');
    expect(await chartPoints('loss')).toBe(0);

    await page.getByRole('link', { name: 'Jobs' }).first().click();
    await page.locator(`tr[data-job-id="${watchedJobId}"] .badge[data-status="queued"]`).waitFor();
    await page.locator(`tr[data-job-id="${longJobId}"] .badge[data-status="running"]`).waitFor();
    expect(Number(await page.locator(`tr[data-job-id="${longJobId}"] [role="progressbar"]`).getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-jobs.png') });

    await page.selectOption('select[name="status"]', 'queued');
    await page.waitForURL(/\?status=queued$/);
    await page.locator(`tr[data-job-id="${watchedJobId}"]`).waitFor();
    expect(await page.locator('tr[data-job-id]').count()).toBe(1);
    await page.selectOption('select[name="status"]', '');
  });

  it('names each job\'s dataset in the list and on the job page as the API names it, reading each dataset once', async () => {
    const fizz = (await client.listDatasets()).data.find((dataset) => dataset.name === 'fizz')!;
    const fizzJob = await client.submitJob({
      dataset: fizz.id,
      model: { layers: [{ units: 4, activation: 'relu' }, { units: 2, activation: 'softmax' }] },
      training: { epochs: 1, batchSize: 8 },
    });
    const reads: string[] = [];
    page.on('request', (request) => {
      const match = /^\/v1\/datasets\/([^/]+)$/.exec(new URL(request.url()).pathname);
      if (match) reads.push(decodeURIComponent(match[1]));
    });

    await page.goto(`${service.url}/`);
    const jobs = (await client.listJobs()).data;
    expect(jobs.map((job) => job.dataset).sort()).toEqual([fizz.id, 'builtin:iris', 'builtin:mnist'].sort());
    for (const job of jobs) {
      const link = page.locator(`tr[data-job-id="${job.id}"] a[data-dataset-id]`);
      await page.locator(`tr[data-job-id="${job.id}"] a[data-dataset-id][data-resolved="true"]`).waitFor();
      expect(await link.textContent()).toBe((await client.getDataset(job.dataset)).name);
      expect(await link.getAttribute('data-dataset-id')).toBe(job.dataset);
      expect(await link.getAttribute('href')).toBe(`/datasets/${encodeURIComponent(job.dataset)}`);
    }
    expect(await page.locator(`tr[data-job-id="${fizzJob.id}"] a[data-dataset-id]`).textContent()).toBe('fizz'); // not its id
    // The list re-reads its jobs every 2 s while one runs: the names stay, and no dataset is read twice.
    for (let refreshes = 0; refreshes < 2; refreshes++) await page.waitForResponse((response) => new URL(response.url()).pathname === '/v1/jobs');
    expect(await page.locator(`tr[data-job-id="${fizzJob.id}"] a[data-dataset-id]`).textContent()).toBe('fizz');
    expect(reads.length).toBe(new Set(reads).size);

    reads.length = 0;
    await page.goto(`${service.url}/jobs/${fizzJob.id}`);
    await page.locator('.job-dataset[data-resolved="true"]').waitFor();
    expect(await page.locator('.job-dataset').textContent()).toBe('fizz');
    expect(await page.locator('a.dataset-link').textContent()).toBe('fizz');
    expect(await page.locator('a.dataset-link').getAttribute('href')).toBe(`/datasets/${fizz.id}`);
    expect(reads).toEqual([fizz.id]); // one read serves the head, the model's details and the predict form
    page.removeAllListeners('request');
  });

  it('cancels the running job from its page; its snapshots stay', async () => {
    await page.goto(`${service.url}/jobs/${longJobId}`);
    await waitForStatus('running');
    await page.getByRole('button', { name: 'Cancel job' }).click();
    await waitForStatus('cancelled');
    const job = await client.getJob(longJobId);
    expect(job.status).toBe('cancelled');
    expect(job.progress.epoch).toBeLessThan(5000);
    await page.locator('.snapshots tr[data-snapshot-id]').first().waitFor();
    expect(await page.getByRole('button', { name: 'Cancel job' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Replay' }).count()).toBe(0); // only a succeeded job can be replayed
  });

  it('watches the queued job start, draw every epoch, and succeed', async () => {
    await page.goto(`${service.url}/jobs/${watchedJobId}`);
    await page.locator('h1 .badge').waitFor();
    await waitForStatus('succeeded');
    await waitForPoints(WATCHED_EPOCHS);
    const points = await client.allMetrics(watchedJobId);
    expect(points).toHaveLength(WATCHED_EPOCHS);
    expect(await chartPoints('loss')).toBe(points.length);
    expect(await chartPoints('accuracy')).toBe(points.length);
    expect(await page.locator('.progress[role="progressbar"]').first().getAttribute('aria-valuenow')).toBe('100');
    const job = await client.getJob(watchedJobId);
    expect(await page.locator('[data-field="epochs"]').textContent()).toBe(String(WATCHED_EPOCHS));
    expect(await page.locator('[data-stat="backend"] dd').textContent()).toBe(job.backend);

  });

  it('downloads the final weights as safetensors and JSON, as the API serves them', async () => {
    const job = await client.getJob(watchedJobId);
    const finalRow = page.locator(`.snapshots tr[data-snapshot-id="${job.finalSnapshot}"]`);
    await finalRow.waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), finalRow.locator('[data-download="safetensors"]').click()]);
    expect(download.suggestedFilename()).toBe(`${watchedJobId}-final-epoch${WATCHED_EPOCHS}.safetensors`);
    const saved = join(ARTIFACTS, download.suggestedFilename());
    await download.saveAs(saved);
    const bytes = new Uint8Array(await readFile(saved));
    expect(Buffer.from(bytes).equals(Buffer.from(await client.snapshotWeights(job.finalSnapshot!)))).toBe(true);
    const { tensors } = readSafetensorsHeader(bytes);
    expect(tensors['layers.0.weight'].shape).toEqual([16, 4]);
    expect(tensors['layers.1.weight'].shape).toEqual([3, 16]);

    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), finalRow.locator('[data-download="json"]').click()]);
    const weights = JSON.parse(await readFile((await jsonDownload.path())!, 'utf8')) as { layers: { activation: string }[] };
    expect(weights.layers.map((layer) => layer.activation)).toEqual(['relu', 'softmax']);
  });

  it('downloads ONNX models of a snapshot, of the final snapshot and of the job\'s final weights, byte for byte as the API serves them', async () => {
    const job = await client.getJob(watchedJobId);
    const snapshots = (await client.listSnapshots(watchedJobId, { limit: 100 })).data;
    const earlier = snapshots.filter((snapshot) => snapshot.kind === 'periodic').sort((a, b) => a.epoch - b.epoch)[0];

    const final = await downloadFrom(page.locator(`.snapshots tr[data-snapshot-id="${job.finalSnapshot}"] [data-download="onnx"]`));
    expect(final.name).toBe(`${watchedJobId}-final-epoch${WATCHED_EPOCHS}.onnx`);
    const finalDirect = Buffer.from(await client.snapshotWeights(job.finalSnapshot!, 'onnx'));
    expect(final.bytes.equals(finalDirect)).toBe(true);
    expect(finalDirect.includes(Buffer.from('outputs')), 'an ONNX graph with its outputs').toBe(true);
    expect(finalDirect.equals(Buffer.from(await client.snapshotWeights(job.finalSnapshot!)))).toBe(false); // not the safetensors

    const periodic = await downloadFrom(page.locator(`.snapshots tr[data-snapshot-id="${earlier.id}"] [data-download="onnx"]`));
    expect(periodic.name).toBe(`${watchedJobId}-periodic-epoch${earlier.epoch}.onnx`);
    expect(periodic.bytes.equals(Buffer.from(await client.snapshotWeights(earlier.id, 'onnx')))).toBe(true);
    expect(periodic.bytes.equals(final.bytes)).toBe(false); // other weights

    const jobFinal = await downloadFrom(page.locator('.snapshots [data-final-download="onnx"]'));
    expect(jobFinal.name).toBe(`${watchedJobId}.onnx`);
    expect(jobFinal.bytes.equals(Buffer.from(await client.jobWeights(watchedJobId, { format: 'onnx' })))).toBe(true);
    const jobSafetensors = await downloadFrom(page.locator('.snapshots [data-final-download="safetensors"]'));
    expect(jobSafetensors.bytes.equals(Buffer.from(await client.jobWeights(watchedJobId)))).toBe(true);
  });

  it('shows the receipt the API recorded; its hashes are those of the dataset and of the final weights\' bytes', async () => {
    const job = await client.getJob(watchedJobId);
    const receipt = job.receipt!;
    const shown = (key: string) => page.locator(`.receipt [data-receipt="${key}"]`).textContent();
    expect(await shown('datasetSha256')).toBe(receipt.datasetSha256);
    expect(receipt.datasetSha256).toBe((await client.getDataset('builtin:iris')).sha256);
    expect(await shown('weightsSha256')).toBe(receipt.weightsSha256);
    expect(receipt.weightsSha256).toBe(sha256(await client.snapshotWeights(job.finalSnapshot!)));
    expect(await shown('seed')).toBe('3'); // as submitted from the form
    expect(receipt.seed).toBe(3);
    const { version, backend, threads } = receipt.engine;
    expect(backend).toBe(job.backend);
    expect(await shown('engine')).toBe(`${version ?? 'unknown version'}, ${backend}, ${threads === null ? 'threads unknown' : `${threads} thread${threads === 1 ? '' : 's'}`}`);
    await page.locator('.receipt details.resolved-spec > summary').click();
    expect(JSON.parse((await page.locator('.receipt details.resolved-spec pre').textContent())!)).toEqual(receipt.resolvedSpec);
    await page.locator('.receipt').screenshot({ path: join(ARTIFACTS, 'dashboard-receipt.png') });
    await page.locator('.receipt details.resolved-spec > summary').click(); // closed again for the job page's screenshot
  });

  it('predicts from the form with the final weights', async () => {
    const row = { sepal_length: 6.7, sepal_width: 3.1, petal_length: 5.6, petal_width: 2.4 };
    for (const [name, value] of Object.entries(row)) await page.fill(`.predict input[name="${name}"]`, String(value));
    await page.locator('.predict').getByRole('button', { name: 'Predict' }).click();
    const label = page.locator('.predicted-label');
    await label.waitFor();
    const expected = await client.predict(watchedJobId, [Object.values(row)]);
    expect(await label.getAttribute('data-label')).toBe(expected.labels![0]);
    expect(await page.locator('.class-bar').count()).toBe(3);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-job.png'), fullPage: true });
  });

  it('predicts a digit drawn on the canvas of an mnist job', async () => {
    const job = await client.submitJob({
      dataset: 'builtin:mnist',
      model: { layers: [{ units: 32, activation: 'relu' }, { units: 10, activation: 'softmax' }] },
      training: { epochs: 2, batchSize: 64, validationSplit: 0.1, seed: 1 },
    });
    await page.goto(`${service.url}/jobs/${job.id}`);
    await waitForStatus('succeeded');
    const pad = page.locator('canvas.digit-pad');
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    // A "7": a bar across the top, then a stroke down to the lower left.
    await page.mouse.move(box.x + 80, box.y + 70);
    await page.mouse.down();
    for (const [x, y] of [[200, 70], [170, 140], [140, 220]]) await page.mouse.move(box.x + x, box.y + y, { steps: 8 });
    await page.mouse.up();

    const [request] = await Promise.all([
      page.waitForRequest((candidate) => candidate.url().endsWith(`/v1/jobs/${job.id}/predict`)),
      page.locator('.predict').getByRole('button', { name: 'Predict' }).click(),
    ]);
    const label = page.locator('.predicted-label');
    await label.waitFor();
    const { inputs } = JSON.parse(request.postData()!) as { inputs: number[][] };
    expect(inputs).toHaveLength(1);
    expect(inputs[0]).toHaveLength(784);
    expect(Math.max(...inputs[0])).toBe(1);
    expect(Math.min(...inputs[0])).toBe(0);
    // What the page shows is what the API answers for the pixels it sent.
    const expected = await client.predict(job.id, inputs);
    expect(await label.getAttribute('data-label')).toBe(expected.labels![0]);
    expect(await page.locator('.class-bar').count()).toBe(10);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-mnist.png'), fullPage: true });
  });

  it('replays a succeeded job from its page; the replay links back to it and says it reproduced it, as the API found', async () => {
    await page.goto(`${service.url}/jobs/${watchedJobId}`);
    await waitForStatus('succeeded');
    const [response] = await Promise.all([
      page.waitForResponse((candidate) => candidate.url().endsWith(`/v1/jobs/${watchedJobId}/replay`) && candidate.request().method() === 'POST'),
      page.getByRole('button', { name: 'Replay' }).click(),
    ]);
    expect(response.status()).toBe(202);
    const replay = (await response.json()) as Job;
    expect(replay.replayOf).toBe(watchedJobId);
    await page.waitForURL(`${service.url}/jobs/${replay.id}`);
    const original = page.locator('.replay-note a.replay-of');
    expect(await original.textContent()).toBe(watchedJobId);
    expect(await original.getAttribute('href')).toBe(`/jobs/${watchedJobId}`);

    await waitForStatus('succeeded');
    const verdict = page.locator('.replay-note .reproduces');
    await verdict.waitFor();
    const replayed = await client.getJob(replay.id);
    expect(replayed.reproduces).toEqual({ jobId: watchedJobId, identical: true });
    expect(await verdict.textContent()).toBe('reproduces: identical ✓');
    expect(await page.locator('.receipt [data-receipt="weightsSha256"]').textContent()).toBe((await client.getJob(watchedJobId)).receipt!.weightsSha256);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-replay.png'), fullPage: true });

    await original.click();
    await page.waitForURL(`${service.url}/jobs/${watchedJobId}`);
    await page.locator('.receipt[data-state="ready"]').waitFor();
    expect(await page.locator('.replay-note').count()).toBe(0);
  });
});
