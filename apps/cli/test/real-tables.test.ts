// Real public tables as published (vega-datasets) through the `trainyard` command against a real service:
// uploads with column overrides, the column profile, the evaluation of a trained job, and predictions on
// rows of the original files. The service allows 100 rows per predict request, so predict must batch.
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainyardClient, watchJob, type Dataset, type Evaluation, type RawRow } from '@trainyard/client';
import { REPO_ROOT, startService, type RunningService } from '@trainyard/client/testing';
import { runCli } from './run-cli.ts';

const DATA = `${REPO_ROOT}node_modules/vega-datasets/data/`;
const PENGUINS = `${DATA}penguins.json`;
const WEATHER = `${DATA}seattle-weather.csv`;
const SPECIES = ['Adelie', 'Chinstrap', 'Gentoo'];
const MAX_PREDICT_ROWS = 100;
/** The service's missing-value tokens (API.md), compared trimmed in any case. */
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?']);

let service: RunningService;
let client: TrainyardClient;
let env: Record<string, string>;
let dir: string;
let penguins: RawRow[];
let weather: RawRow[];

const cli = (...args: string[]) => runCli(args, env, { cwd: dir });

beforeAll(async () => {
  service = await startService({ name: 'cli-tables', env: { TRAINYARD_MAX_PREDICT_ROWS: String(MAX_PREDICT_ROWS) } });
  client = new TrainyardClient({ baseUrl: service.url, apiKey: service.apiKey });
  env = { TRAINYARD_URL: service.url, TRAINYARD_API_KEY: service.apiKey };
  dir = await mkdtemp(join(tmpdir(), 'trainyard-cli-tables-'));
  penguins = JSON.parse(await readFile(PENGUINS, 'utf8')) as RawRow[];
  weather = parse(await readFile(WEATHER), { columns: true }) as RawRow[];
}, 120_000);

afterAll(async () => {
  await service?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** What the source file says of a column: missing cells and distinct values (as numbers for number columns). */
function countsOf(rows: RawRow[], name: string, type: string): { missing: number; distinct: number } {
  const present = rows.map((row) => row[name]).filter((value) => value !== null && value !== undefined && !MISSING.has(String(value).trim().toLowerCase()));
  const distinct = new Set(present.map((value) => (type === 'number' ? Number(value) : String(value).trim())));
  return { missing: rows.length - present.length, distinct: distinct.size };
}

/** The profile table of `datasets get`: cells are separated by two spaces or more (names hold single ones). */
function profileOf(stdout: string): Record<string, string>[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => line.startsWith('COLUMN  '));
  const header = lines[start].split(/ {2,}/);
  return lines.slice(start + 1).filter(Boolean).map((line) => Object.fromEntries(line.trim().split(/ {2,}/).map((cell, i) => [header[i], cell])));
}

/** The facts above the table: `rows  344` → { rows: '344' }. */
function factsOf(stdout: string): Record<string, string> {
  const facts = stdout.split('\n\n')[0].split('\n').slice(1);
  return Object.fromEntries(facts.map((line) => [line.split(/ {2,}/)[0], line.split(/ {2,}/)[1]]));
}

async function upload(...args: string[]): Promise<Dataset> {
  const result = await cli('datasets', 'upload', ...args);
  expect(result.code, result.stderr).toBe(0);
  return client.getDataset(result.stdout.trim());
}

async function train(dataset: Dataset, units: number, epochs: number): Promise<string> {
  const job = await client.submitJob({
    dataset: dataset.id,
    model: { layers: [{ units: 16, activation: 'relu' }, { units, activation: units === 1 ? 'linear' : 'softmax' }] },
    training: { epochs, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.01 }, testSplit: 0.2, seed: 5 },
  });
  expect(await watchJob(client, job.id, { onEvent: () => {} })).toBe('succeeded');
  return job.id;
}

describe('penguins.json as published: categories and gaps', () => {
  let dataset: Dataset;
  let jobId: string;
  const expectedTypes: Record<string, string> = {
    Species: 'category', Island: 'category', 'Beak Length (mm)': 'number', 'Beak Depth (mm)': 'number',
    'Flipper Length (mm)': 'category', 'Body Mass (g)': 'number', Sex: 'category',
  };

  it('uploads the file with a --column override and without --task; datasets get shows each column as the file has it', async () => {
    dataset = await upload(PENGUINS, '--target', 'Species', '--column', 'Flipper Length (mm)=category', '--name', 'penguins');
    const result = await cli('datasets', 'get', dataset.id);
    expect(result.code, result.stderr).toBe(0);
    expect(factsOf(result.stdout)).toEqual({
      task: 'classification', target: `Species (classes: ${SPECIES.join(', ')})`, rows: String(penguins.length), 'rows without target': '0', features: '6',
    });
    const profile = profileOf(result.stdout);
    expect(profile.map((column) => column.COLUMN)).toEqual(Object.keys(penguins[0]));
    for (const column of profile) {
      const { missing, distinct } = countsOf(penguins, column.COLUMN, expectedTypes[column.COLUMN]);
      expect(column, column.COLUMN).toMatchObject({ TYPE: expectedTypes[column.COLUMN], ROLE: column.COLUMN === 'Species' ? 'target' : 'feature', MISSING: String(missing), DISTINCT: String(distinct) });
    }
    expect(profile.find((column) => column.COLUMN === 'Island')!['TOP VALUES']).toBe('Biscoe 168, Dream 124, Torgersen 52');

    const json = await cli('datasets', 'get', dataset.id, '--json');
    expect(JSON.parse(json.stdout)).toEqual(dataset);
  });

  it('rejects an unknown --column type before calling the service, listing the types', async () => {
    const result = await cli('datasets', 'upload', PENGUINS, '--target', 'Species', '--column', 'Sex=colour');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--column "Sex=colour": unknown type "colour"; the types are number, boolean, datetime, category, text, ignore');
  });

  it('prints the service\'s per-column summary of an override the values do not fit', async () => {
    const result = await cli('datasets', 'upload', PENGUINS, '--target', 'Species', '--column', 'Island=number');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('(invalid_dataset, HTTP 422)');
    expect(result.stderr).toContain(`  column "Island": ${penguins.length} values are not numbers (rows 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …)`);
  });

  it('evaluates the trained job: a confusion matrix labelled by species, per-class scores, importance bars', async () => {
    jobId = await train(dataset, 3, 60);
    const evaluation = await client.evaluation(jobId);
    const result = await cli('jobs', 'evaluate', jobId);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`${jobId}: test split, ${evaluation.rows} rows, snapshot ${evaluation.snapshotId}`);
    expect(result.stdout).toMatch(/^accuracy {11}\d/m);
    expect(result.stdout).toMatch(/^ROC AUC {12}\d/m);

    const matrix = lines.findIndex((line) => line.startsWith('TRUE \\ PREDICTED'));
    expect(lines[matrix].split(/ {2,}/).slice(1)).toEqual(SPECIES);
    const counts = lines.slice(matrix + 1, matrix + 4).map((line) => line.trim().split(/ {2,}/));
    expect(counts.map((row) => row[0])).toEqual(SPECIES);
    expect(counts.map((row) => row.slice(1).map(Number))).toEqual(evaluation.classification!.confusion.counts);

    const perClass = lines.findIndex((line) => line.startsWith('CLASS'));
    expect(lines.slice(perClass + 1, perClass + 4).map((line) => line.split(/\s+/)[0])).toEqual(SPECIES);
    const importance = lines.slice(lines.findIndex((line) => line.startsWith('FEATURE')) + 1);
    expect(importance.map((line) => line.split(/ {2,}/)[0]).filter(Boolean)).toEqual(sortedFeatures(evaluation));
    expect(importance[0]).toMatch(/█+$/);

    const json = await cli('jobs', 'evaluate', jobId, '--json', '--snapshot', evaluation.snapshotId);
    expect(JSON.parse(json.stdout)).toEqual(evaluation);
  });

  it('predicts species for the rows of the original file, in batches of the service\'s limit', async () => {
    const result = await cli('predict', jobId, '--file', PENGUINS);
    expect(result.code, result.stderr).toBe(0);
    const labels = result.stdout.trim().split('\n');
    expect(labels).toHaveLength(penguins.length);
    expect(new Set(labels)).toEqual(new Set(SPECIES));
    const expected: string[] = [];
    for (let start = 0; start < penguins.length; start += MAX_PREDICT_ROWS) {
      expected.push(...(await client.predict(jobId, { rows: penguins.slice(start, start + MAX_PREDICT_ROWS) })).labels!);
    }
    expect(labels).toEqual(expected);
    expect(labels.filter((label, i) => label === penguins[i].Species).length / penguins.length).toBeGreaterThan(0.9);
  });

  it('reads the same rows as CSV on stdin and as JSON Lines, and names a value that cannot be read', async () => {
    const rows = penguins.slice(0, 20);
    const names = Object.keys(penguins[0]);
    const csv = [names.join(','), ...rows.map((row) => names.map((name) => (row[name] === null ? 'NA' : String(row[name]))).join(','))].join('\n');
    const expected = (await client.predict(jobId, { rows })).labels!.join('\n');
    const stdin = await runCli(['predict', jobId, '--format', 'csv'], env, { cwd: dir, stdin: csv });
    expect(stdin.code, stdin.stderr).toBe(0);
    expect(stdin.stdout.trim()).toBe(expected);

    await writeFile(join(dir, 'rows.jsonl'), rows.map((row) => JSON.stringify(row)).join('\n'));
    const jsonl = await cli('predict', jobId, '--file', 'rows.jsonl', '--json');
    expect(jsonl.code, jsonl.stderr).toBe(0);
    expect(JSON.parse(jsonl.stdout)).toEqual(await client.predict(jobId, { rows }));

    await writeFile(join(dir, 'bad.json'), JSON.stringify([...penguins.slice(0, 150), { ...penguins[0], 'Body Mass (g)': 'heavy' }]));
    const bad = await cli('predict', jobId, '--file', 'bad.json');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('(invalid_input, HTTP 422)');
    expect(bad.stderr).toContain('row 151, column "Body Mass (g)"');
  });
});

describe('seattle-weather.csv as published: dates', () => {
  it('types the date column as datetime and an ignored column as ignored', async () => {
    const dataset = await upload(WEATHER, '--target', 'weather', '--column', 'wind=ignore');
    const result = await cli('datasets', 'get', dataset.id);
    expect(result.code, result.stderr).toBe(0);
    const profile = profileOf(result.stdout);
    const types: Record<string, string> = { date: 'datetime', precipitation: 'number', temp_max: 'number', temp_min: 'number', wind: 'number', weather: 'category' };
    for (const column of profile) {
      const { missing, distinct } = countsOf(weather, column.COLUMN, types[column.COLUMN]);
      const role = column.COLUMN === 'weather' ? 'target' : column.COLUMN === 'wind' ? 'ignored' : 'feature';
      expect(column, column.COLUMN).toMatchObject({ ROLE: role, MISSING: String(missing), DISTINCT: String(distinct) });
      if (role !== 'ignored') expect(column.TYPE, column.COLUMN).toBe(types[column.COLUMN]);
    }
    const dates = weather.map((row) => String(row.date)).sort();
    expect(profile[0]).toMatchObject({ COLUMN: 'date', MIN: dates[0], MAX: dates.at(-1) });
    expect(factsOf(result.stdout)).toMatchObject({ task: 'classification', rows: String(weather.length), features: '4' });
  });

  it('evaluates a regression job: errors in the target\'s units and importance by R²', async () => {
    const dataset = await upload(WEATHER, '--target', 'temp_max');
    expect(dataset.task).toBe('regression');
    const jobId = await train(dataset, 1, 20);
    const evaluation = await client.evaluation(jobId);
    const result = await cli('jobs', 'evaluate', jobId);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^rmse {19}\d/m);
    expect(result.stdout).toMatch(/^median absolute error {2}\d/m);
    expect(result.stdout).toContain('mean drop of R² when the column is shuffled');
    expect(result.stdout).not.toContain('confusion');
    expect(evaluation.regression!.r2).toBeGreaterThan(0.5);

    const values = await cli('predict', jobId, '--file', WEATHER);
    expect(values.code, values.stderr).toBe(0);
    const predicted = values.stdout.trim().split('\n').map(Number);
    expect(predicted).toHaveLength(weather.length);
    const meanError = predicted.reduce((sum, value, i) => sum + Math.abs(value - Number(weather[i].temp_max)), 0) / predicted.length;
    expect(meanError).toBeLessThan(2 * evaluation.regression!.mae);
  });
});

function sortedFeatures(evaluation: Evaluation): string[] {
  return [...evaluation.featureImportance].sort((a, b) => b.importance - a.importance).map((entry) => entry.feature);
}
