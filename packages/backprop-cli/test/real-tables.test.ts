// `backprop train` on real public tables as published: typed as an upload is (categories, gaps, dates,
// Parquet, gzip), prepared as the worker prepares a job, evaluated on its held-out rows; the reported
// evaluation is checked against an independent encoder and forward pass over the raw rows.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors } from '@trainyard/backprop';
import { splitRows } from '@trainyard/tabular';
import { encodeRow, forward, predictedClass, type PreprocessingMetadata } from './reference-model.ts';
import { backprop, expectSummary } from './run-backprop.ts';
import { FLIGHTS_3M, PENGUINS, SEATTLE_WEATHER } from './vega-data.ts';

const dir = mkdtempSync(join(tmpdir(), 'backprop-real-tables-'));

function train(name: string, job: object, ...flags: string[]) {
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(job));
  const run = backprop(['train', `${name}.json`, '--out', `${name}.safetensors`, ...flags], { cwd: dir });
  const summary = expectSummary(run);
  const bytes = readFileSync(join(dir, `${name}.safetensors`));
  const model = decodeSafetensors(new Uint8Array(bytes));
  return { summary, evaluation: summary.evaluation!, bytes, model, preprocessing: model.preprocessing as PreprocessingMetadata, ms: run.ms };
}

/** The CSV of seattle-weather (no quoted fields) as rows of strings by column name. */
function csvRows(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const names = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i], cell])));
}

const isoDateSeconds = (raw: unknown) => Date.parse(`${raw}T00:00:00Z`) / 1000;

describe('penguins.json: classification with categories and gaps', () => {
  const rows = JSON.parse(readFileSync(PENGUINS, 'utf8')) as Record<string, string | number | null>[];
  const job = {
    dataset: PENGUINS,
    model: { layers: [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
    training: { epochs: 40, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.01 }, testSplit: 0.2, classWeights: 'balanced', seed: 7 },
  };

  it('infers the task, one-hot encodes the categories, fills and flags the gaps, and evaluates the stratified test split', () => {
    const { summary, evaluation, model, preprocessing } = train('penguins', job, '--target', 'Species');
    expect(model.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(preprocessing.columns.map((c) => [c.name, c.type])).toEqual([
      ['Island', 'category'], ['Beak Length (mm)', 'number'], ['Beak Depth (mm)', 'number'], ['Flipper Length (mm)', 'number'],
      ['Body Mass (g)', 'number'], ['Sex', 'category'],
    ]);
    // Two penguins have no measurements at all: every number column gets a missing indicator.
    expect(preprocessing.columns.filter((c) => c.type === 'number').every((c) => c.indicator)).toBe(true);
    expect(preprocessing.columns.find((c) => c.name === 'Sex')!.categories).toEqual(['MALE', 'FEMALE', '.']);
    expect(model.architecture.inputSize).toBe(preprocessing.inputs.length);

    expect(evaluation).toMatchObject({ split: 'test', rows: Math.ceil(0.2 * rows.length) });
    expect(evaluation.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(evaluation.balancedAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(evaluation.macroF1).toBeGreaterThanOrEqual(0.95);
    expect(evaluation.topFeatures.length).toBeGreaterThan(0);
    expect(evaluation.topFeatures.length).toBeLessThanOrEqual(5);
    for (const { feature } of evaluation.topFeatures) expect(preprocessing.columns.map((c) => c.name)).toContain(feature);
    expect(summary.metrics.valAccuracy).toBeGreaterThanOrEqual(0.9);

    // The same test rows, encoded from the raw JSON by the oracle: the same accuracy.
    const y = rows.map((row) => model.classes!.indexOf(row.Species as string));
    const { test } = splitRows({ rows: rows.length, classes: y, testSplit: 0.2, validationSplit: 0.2, seed: 7 });
    const correct = [...test].filter((r) => predictedClass(forward(model, encodeRow(preprocessing, rows[r], isoDateSeconds), null)) === y[r]);
    expect(correct.length / test.length).toBe(evaluation.accuracy);
  });
});

describe('seattle-weather.csv: regression with a date column', () => {
  const rows = csvRows(SEATTLE_WEATHER);
  const job = {
    dataset: SEATTLE_WEATHER,
    model: { layers: [{ units: 16, activation: 'relu' }, { units: 1, activation: 'linear' }] },
    features: { exclude: ['temp_min'] },
    training: { epochs: 30, batchSize: 32, optimizer: { type: 'adam', learningRate: 0.01 }, testSplit: 0.2 },
  };
  let plain: ReturnType<typeof train>;

  it('encodes the date as a linear time and yearly and weekly cycles, and reports errors in degrees', () => {
    plain = train('weather', job, '--target', 'temp_max');
    const { evaluation, model, preprocessing } = plain;
    expect(model.classes).toBeUndefined();
    expect(preprocessing.columns.map((c) => c.name)).toEqual(['date', 'precipitation', 'wind', 'weather']);
    expect(preprocessing.columns[0]).toMatchObject({ type: 'datetime', parts: ['years', 'year_sin', 'year_cos', 'week_sin', 'week_cos'], indicator: false });
    expect(preprocessing.target!.std).toBeGreaterThan(1);
    expect(evaluation).toMatchObject({ split: 'test', rows: Math.ceil(0.2 * rows.length) });
    expect(evaluation.r2).toBeGreaterThan(0.7);
    expect(evaluation.topFeatures[0].feature).toBe('date');

    // The oracle on the raw CSV cells: the same root mean squared error, in the target's units.
    const { test } = splitRows({ rows: rows.length, testSplit: 0.2, validationSplit: 0.2, seed: 42 });
    const { mean, std } = preprocessing.target!;
    const squared = [...test].map((r) => (forward(model, encodeRow(preprocessing, rows[r], isoDateSeconds), null)[0] * std + mean - Number(rows[r].temp_max)) ** 2);
    const rmse = Math.sqrt(squared.reduce((a, b) => a + b, 0) / test.length);
    expect(Math.abs(rmse - evaluation.rmse!)).toBeLessThan(1e-4 * evaluation.rmse!);
  });

  it('reads the gzip-compressed file as the same table: the same weights, byte for byte', () => {
    writeFileSync(join(dir, 'seattle-weather.csv.gz'), gzipSync(readFileSync(SEATTLE_WEATHER)));
    const gzipped = train('weather-gz', { ...job, dataset: 'seattle-weather.csv.gz' }, '--target', 'temp_max');
    expect(Buffer.compare(gzipped.bytes, plain.bytes)).toBe(0);
    expect(gzipped.evaluation).toEqual(plain.evaluation);
  });
});

describe('flights-3m.parquet: three million rows of Parquet', () => {
  it('forces a text column to a category (--column), keeps the spec\'s maxCategories most frequent, and trains one epoch', () => {
    const job = {
      dataset: FLIGHTS_3M,
      model: { layers: [{ units: 16, activation: 'relu' }, { units: 1, activation: 'linear' }] },
      training: { epochs: 1, batchSize: 256, optimizer: { type: 'adam', learningRate: 0.003 }, testSplit: 0.1, maxCategories: 20 },
    };
    const { evaluation, model, preprocessing, ms } = train('flights', job, '--target', 'delay', '--column', 'origin=category');
    // destination has more distinct airports than TRAINYARD_MAX_CATEGORIES: text, kept but not a feature.
    expect(preprocessing.columns.map((c) => [c.name, c.type])).toEqual([['date', 'datetime'], ['distance', 'number'], ['origin', 'category']]);
    expect(preprocessing.columns[0].parts).toContain('day_sin');
    expect(preprocessing.columns[2].categories).toHaveLength(20);
    expect(model.architecture.inputSize).toBe(7 + 1 + 21);
    expect(evaluation).toMatchObject({ split: 'test', rows: 300_000 });
    expect(evaluation.rmse).toBeGreaterThan(0);
    expect(evaluation.topFeatures.map((f) => f.feature).sort()).toEqual(['date', 'distance', 'origin']);
    console.info(`flights-3m.parquet: ${(ms / 1000).toFixed(1)} s for the whole command`);
  });
});
