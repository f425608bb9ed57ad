// A continuous column sent as a classification target must not become hundreds of classes without a word:
// real tables as published (vega-datasets), uploaded as a client sends them.
import { readFileSync } from 'node:fs';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './harness.ts';
import { REPO_ROOT } from './worker-process.ts';

const DATA = `${REPO_ROOT}node_modules/vega-datasets/data/`;
const CARS = readFileSync(`${DATA}cars.json`);
const WEATHER = readFileSync(`${DATA}weather.csv`);
const cars = JSON.parse(CARS.toString('utf8')) as Record<string, string | number | null>[];
/** weather.csv has no quoted fields: a split is an independent reading. */
const [weatherHeader, ...weatherLines] = WEATHER.toString('utf8').trim().split('\n');
const weather = weatherLines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [weatherHeader.split(',')[i], cell !== '' && Number.isFinite(Number(cell)) ? Number(cell) : cell])));

/** Distinct present values, counted here rather than by the service. */
function distinct(rows: Record<string, unknown>[], column: string): number {
  return new Set(rows.map((row) => row[column]).filter((value) => value !== null && value !== undefined)).size;
}

describe('classification targets with too many classes (TRAINYARD_MAX_CLASSES)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi('class_limit');
  });
  afterAll(async () => {
    await api?.close();
  });

  const upload = (file: Buffer, filename: string, fields: Record<string, string>, http = api.http) => {
    const request = http.post('/v1/datasets').set(api.alice.auth);
    for (const [name, value] of Object.entries(fields)) request.field(name, value);
    return request.attach('file', file, filename);
  };

  it('answers 422 invalid_dataset for cars.json Weight_in_lbs sent as classification, naming the column and count and suggesting regression', async () => {
    const classes = distinct(cars, 'Weight_in_lbs');
    expect(classes).toBeGreaterThan(200);
    const response = await upload(CARS, 'cars.json', { target: 'Weight_in_lbs', task: 'classification' });
    expect(response.status, JSON.stringify(response.body)).toBe(422);
    expect(response.body.error.code).toBe('invalid_dataset');
    expect(response.body.error.message).toContain(`"Weight_in_lbs" has ${classes} classes; at most 200`);
    expect(response.body.error.message).toContain('task "regression"');
    expect(response.body.error.details).toEqual([
      { column: 'Weight_in_lbs', count: classes, message: expect.stringMatching(/TRAINYARD_MAX_CLASSES.*"regression"/) },
    ]);
    // Nothing was stored.
    expect(await api.prisma.dataset.count({ where: { tenantId: api.alice.id } })).toBe(0);
    // As asked, the same column is a regression target.
    const regression = await upload(CARS, 'cars.json', { target: 'Weight_in_lbs', task: 'regression' });
    expect(regression.status, JSON.stringify(regression.body)).toBe(201);
    expect(regression.body.task).toBe('regression');
  });

  it('applies to an inferred classification too: cars.json Name (text) is refused with its count, without suggesting regression', async () => {
    const classes = distinct(cars, 'Name');
    const response = await upload(CARS, 'cars.json', { target: 'Name' });
    expect(response.status, JSON.stringify(response.body)).toBe(422);
    expect(response.body.error.code).toBe('invalid_dataset');
    expect(response.body.error.message).toContain(`"Name" has ${classes} classes`);
    expect(response.body.error.message).toContain('choose another target');
    expect(response.body.error.details[0]).toMatchObject({ column: 'Name', count: classes });
    expect(response.body.error.details[0].message).not.toContain('regression');
  });

  it('accepts a classification within the limit (cars.json Horsepower: 94 classes) and refuses it under a lower TRAINYARD_MAX_CLASSES', async () => {
    const classes = distinct(cars, 'Horsepower');
    const accepted = await upload(CARS, 'cars.json', { target: 'Horsepower', task: 'classification' });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    expect(accepted.body.classes).toHaveLength(classes);

    const strict = await api.buildAnother({ limits: { ...api.config.limits, maxClasses: 50 } });
    const refused = await upload(CARS, 'cars.json', { target: 'Horsepower', task: 'classification' }, supertest.agent(strict.server));
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.error.message).toContain(`"Horsepower" has ${classes} classes; at most 50 are accepted (TRAINYARD_MAX_CLASSES)`);
  });

  it('refuses weather.csv temp_max as classification under a low limit, and the JSON body form alike', async () => {
    const strict = supertest.agent((await api.buildAnother({ limits: { ...api.config.limits, maxClasses: 20 } })).server);
    const classes = distinct(weather, 'temp_max');
    const csv = await upload(WEATHER, 'weather.csv', { target: 'temp_max', task: 'classification' }, strict);
    expect(csv.status, JSON.stringify(csv.body)).toBe(422);
    expect(csv.body.error.details[0]).toMatchObject({ column: 'temp_max', count: classes });
    const json = await strict.post('/v1/datasets').set(api.alice.auth)
      .send({ name: 'weather', format: 'csv', content: WEATHER.toString('utf8'), target: 'temp_max', task: 'classification' });
    expect(json.status, JSON.stringify(json.body)).toBe(422);
    expect(json.body.error.details[0]).toMatchObject({ column: 'temp_max', count: classes });
    // Its five weather kinds stay a classification.
    const kinds = await upload(WEATHER, 'weather.csv', { target: 'weather' }, strict);
    expect(kinds.status, JSON.stringify(kinds.body)).toBe(201);
    expect(kinds.body.classes).toEqual(['drizzle', 'fog', 'rain', 'snow', 'sun']);
  });
});
