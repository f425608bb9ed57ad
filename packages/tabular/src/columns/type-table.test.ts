// Column typing and the profile on real public tables as published (vega-datasets), checked against counts
// taken directly from the parsed JSON and against Date.parse for the dates.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { DatasetError } from '@trainyard/backprop';
import { readTable } from '../read/read-table.ts';
import { isNumeric } from '../table.ts';
import { typeTable } from './type-table.ts';

const DATA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'node_modules', 'vega-datasets', 'data');
const file = (name: string) => new Uint8Array(readFileSync(join(DATA, name)));
const objectsOf = (name: string) => JSON.parse(readFileSync(join(DATA, name), 'utf8')) as Record<string, unknown>[];
const present = (v: unknown) => v !== null && v !== undefined && v !== '';

describe('movies.json: more than ten classes, text titles, dates with month names, gaps', async () => {
  const objects = objectsOf('movies.json');
  const typed = typeTable(await readTable(file('movies.json')), { target: 'Major Genre', maxCategories: 100 });
  const profile = (name: string) => typed.profile.find((p) => p.name === name)!;

  test('the target is a classification of every genre; rows without one are counted, not dropped', () => {
    const genres = new Set(objects.map((o) => o['Major Genre']).filter(present));
    expect(typed.task).toBe('classification');
    expect(typed.classes!.length).toBeGreaterThan(10);
    expect(new Set(typed.classes)).toEqual(genres);
    expect(typed.rowsWithoutTarget).toBe(objects.filter((o) => !present(o['Major Genre'])).length);
    expect(typed.table.rows).toBe(objects.length);
  });

  test('types: titles and directors are text (not features), ratings and grosses numbers, the release date a datetime', () => {
    const types = Object.fromEntries(typed.profile.map((p) => [p.name, p.type]));
    expect(types).toMatchObject({
      Title: 'text', Director: 'text', 'US Gross': 'number', 'IMDB Rating': 'number', 'Release Date': 'datetime',
      'MPAA Rating': 'category', 'Creative Type': 'category',
    });
    expect(typed.features).not.toContain('Title');
    expect(typed.features).toContain('Release Date');
    expect(profile('Title').role).toBe('ignored');
  });

  test('missing, distinct, mean and range of a number column equal a direct count', () => {
    const values = objects.map((o) => o['IMDB Rating']).filter(present) as number[];
    const p = profile('IMDB Rating');
    expect(p.missing).toBe(objects.length - values.length);
    expect(p.distinct).toBe(new Set(values).size);
    expect(p.mean).toBeCloseTo(values.reduce((s, v) => s + v, 0) / values.length, 10);
    expect(p.min).toBe(Math.min(...values));
    expect(p.max).toBe(Math.max(...values));
  });

  test('"Jun 12 1998" dates are the Unix seconds Date.parse gives for them at UTC midnight', () => {
    const column = typed.table.columns.find((c) => c.name === 'Release Date')!;
    if (!isNumeric(column)) throw new Error('Release Date is not numeric');
    objects.forEach((o, row) => {
      const text = o['Release Date'] as string | null;
      const expected = present(text) ? Date.parse(`${text} UTC`) / 1000 : Number.NaN;
      expect(column.values[row], `row ${row + 1}: ${text}`).toBe(expected);
    });
  });

  test('top values of a category are the most frequent, with their counts', () => {
    const counts = new Map<string, number>();
    for (const o of objects) if (present(o['MPAA Rating'])) counts.set(o['MPAA Rating'] as string, (counts.get(o['MPAA Rating'] as string) ?? 0) + 1);
    const expected = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([value, count]) => ({ value, count }));
    expect(profile('MPAA Rating').topValues).toEqual(expected);
  });
});

describe('overrides and inference on other tables', () => {
  test('penguins.json: Species is classification; forcing a category to number names the column, a count and rows', async () => {
    const raw = await readTable(file('penguins.json'));
    expect(typeTable(raw, { target: 'Species', maxCategories: 100 }).task).toBe('classification');
    const error = (() => {
      try {
        typeTable(raw, { target: 'Species', maxCategories: 100, columns: { Island: 'number' } });
      } catch (e) {
        return e;
      }
    })() as DatasetError;
    expect(error).toBeInstanceOf(DatasetError);
    const detail = error.details!.find((d) => d.column === 'Island')!;
    expect(detail.count).toBe(objectsOf('penguins.json').length);
    expect(detail.examples!.slice(0, 3)).toEqual([1, 2, 3]);
  });

  test('seattle-weather.csv: temp_max without a task is regression; the date column a datetime', async () => {
    const typed = typeTable(await readTable(file('seattle-weather.csv')), { target: 'temp_max', maxCategories: 100 });
    expect(typed.task).toBe('regression');
    expect(typed.profile.find((p) => p.name === 'date')!.type).toBe('datetime');
    expect(typed.profile.find((p) => p.name === 'weather')!.type).toBe('category');
  });

  test('an ignore override removes a column from the features; maxCategories turns a wide category into text', async () => {
    const raw = await readTable(file('cars.json'));
    const typed = typeTable(raw, { target: 'Origin', maxCategories: 100, columns: { Cylinders: 'ignore' } });
    expect(typed.features).not.toContain('Cylinders');
    expect(typed.profile.find((p) => p.name === 'Cylinders')!.role).toBe('ignored');
    const narrow = typeTable(raw, { target: 'Origin', maxCategories: 3 });
    expect(narrow.profile.find((p) => p.name === 'Name')!.type).toBe('text');
  });
});
