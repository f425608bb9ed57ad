import { describe, expect, it } from 'vitest';
import { DatasetError } from '@trainyard/backprop';
import type { TypedTable } from '../table.ts';
import { datetimePart, SECONDS_PER } from './datetime-encoding.ts';
import { encodeRaw, fitPreprocessing, normalizationOf } from './preprocessing.ts';

const DAY = SECONDS_PER.day;
const table: TypedTable = {
  rows: 6,
  columns: [
    { name: 'mass', type: 'number', values: Float64Array.of(1, 2, Number.NaN, 4, 100, Number.NaN) },
    { name: 'island', type: 'category', codes: Int32Array.of(0, 1, 1, -1, 2, 0), dictionary: ['Biscoe', 'Dream', 'Torgersen'] },
    { name: 'alive', type: 'boolean', codes: Int32Array.of(1, 0, -1, 1, 1, 0), dictionary: ['false', 'true'] },
    { name: 'date', type: 'datetime', values: Float64Array.of(0, DAY, 2 * DAY, Number.NaN, 3 * DAY, 4 * DAY) },
    { name: 'note', type: 'text', codes: Int32Array.of(0, 1, 2, 3, 4, 5), dictionary: ['a', 'b', 'c', 'd', 'e', 'f'] },
  ],
};
const train = Uint32Array.of(0, 1, 2, 3);

describe('fitPreprocessing', () => {
  it('fits fill values, indicators and categories on the training rows only', () => {
    const p = fitPreprocessing(table, ['mass', 'island', 'alive', 'date'], train, { normalize: false, maxCategories: 50 });
    const [mass, island, alive, date] = p.columns;
    expect(mass).toEqual({ name: 'mass', type: 'number', fill: (1 + 2 + 4) / 3, indicator: true, mean: 0, std: 1 });
    // Torgersen (code 2) appears only outside the training rows: it is "other".
    expect(island).toEqual({ name: 'island', type: 'category', categories: ['Dream', 'Biscoe'] });
    expect(alive).toEqual({ name: 'alive', type: 'boolean', fill: 2 / 3, indicator: true });
    expect(date).toMatchObject({ type: 'datetime', parts: ['years', 'year_sin', 'year_cos', 'week_sin', 'week_cos'], indicator: true });
    expect(p.inputs).toEqual([
      'mass', 'mass:missing', 'island=Dream', 'island=Biscoe', 'island:other', 'alive', 'alive:missing',
      'date:years', 'date:year_sin', 'date:year_cos', 'date:week_sin', 'date:week_cos', 'date:missing',
    ]);
    expect(normalizationOf(p)).toBeNull();
  });

  it('encodes any rows with the fitted values: gaps filled and flagged, unseen and missing categories as other', () => {
    const p = fitPreprocessing(table, ['mass', 'island', 'alive'], train, { normalize: false, maxCategories: 50 });
    const x = encodeRaw(p, table, [2, 3, 4]);
    const fill = Math.fround(7 / 3);
    expect(Array.from(x)).toEqual([
      fill, 1, 1, 0, 0, Math.fround(2 / 3), 1, // row 2: mass missing, Dream, alive missing
      4, 0, 0, 0, 1, 1, 0, // row 3: island missing → other
      100, 0, 0, 0, 1, 1, 0, // row 4: Torgersen unseen → other
    ]);
  });

  it('keeps only the maxCategories most frequent values', () => {
    const p = fitPreprocessing(table, ['island'], Uint32Array.of(0, 1, 2, 4, 5), { normalize: false, maxCategories: 1 });
    expect(p.columns[0]).toEqual({ name: 'island', type: 'category', categories: ['Biscoe'] }); // Biscoe 2, Dream 2: first appearance wins
  });

  it('standardises number values and the linear time with the training mean and std', () => {
    const p = fitPreprocessing(table, ['mass', 'date'], train, { normalize: true, maxCategories: 50 });
    const filled = [1, 2, 7 / 3, 4];
    const mean = filled.reduce((a, b) => a + b) / 4;
    const std = Math.sqrt(filled.reduce((a, v) => a + (v - mean) ** 2, 0) / 4);
    expect(p.columns[0]).toMatchObject({ mean: expect.closeTo(mean, 6), std: expect.closeTo(std, 6) });
    const normalization = normalizationOf(p)!;
    expect(normalization.mean.length).toBe(p.inputs.length);
    expect(normalization.std[1]).toBe(1); // the indicator is left as 0/1
    const years = [0, 1, 2].map((d) => (d * DAY) / SECONDS_PER.year);
    const yearsFill = years.reduce((a, b) => a + b) / 3;
    expect(p.columns[1]).toMatchObject({ fill: expect.closeTo(yearsFill, 12) });
  });

  it('adds the day cycle only when a training value has a time of day', () => {
    const withTime: TypedTable = { rows: 2, columns: [{ name: 't', type: 'datetime', values: Float64Array.of(0, 3600) }] };
    const p = fitPreprocessing(withTime, ['t'], Uint32Array.of(0, 1), { normalize: false, maxCategories: 5 });
    expect(p.inputs).toEqual(['t:years', 't:year_sin', 't:year_cos', 't:week_sin', 't:week_cos', 't:day_sin', 't:day_cos']);
    const x = encodeRaw(p, withTime, [1]);
    expect(x[5]).toBeCloseTo(Math.sin((2 * Math.PI * 3600) / DAY), 6);
    expect(x[6]).toBeCloseTo(Math.cos(Math.PI / 12), 6);
    expect(datetimePart('week_cos', SECONDS_PER.week)).toBeCloseTo(1, 12);
  });

  it('refuses text columns as features', () => {
    expect(() => fitPreprocessing(table, ['note'], train, { normalize: true, maxCategories: 5 })).toThrow(/text/);
  });
});

describe('a preprocessing that does not fit the table', () => {
  it('is a DatasetError naming the column (initial weights fitted on another table), not a crash', () => {
    const fitted = fitPreprocessing(table, [table.columns[0].name], train, { normalize: true, maxCategories: 50 });
    const renamed = { ...fitted, columns: fitted.columns.map((spec) => ({ ...spec, name: 'not here' })) };
    expect(() => encodeRaw(renamed, table, train)).toThrow(DatasetError);
    expect(() => encodeRaw(renamed, table, train)).toThrow(/the table has no column "not here"/);
  });
});
