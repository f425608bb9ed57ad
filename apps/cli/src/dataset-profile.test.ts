import { describe, expect, it } from 'vitest';
import type { Dataset } from '@trainyard/client';
import { describeDataset } from './dataset-profile.ts';

const BASE: Dataset = {
  id: 'ds_1', name: 'weather', task: 'classification', rows: 4, features: ['date', 'wind'], target: 'sky', classes: ['rain', 'sun'],
  sizeBytes: 90, sha256: 'ab', createdAt: '2025-01-01T00:00:00.000Z', builtin: false,
};

describe('describeDataset', () => {
  it('shows the facts, then the profile table: numbers, dates as ISO days, top values of categories', () => {
    const text = describeDataset({
      ...BASE,
      rowsWithoutTarget: 1,
      columns: [
        { name: 'date', type: 'datetime', role: 'feature', missing: 0, distinct: 4, mean: 1325505600, std: 111_600, min: 1325376000, max: 1325635200 },
        { name: 'wind', type: 'number', role: 'feature', missing: 1, distinct: 3, mean: 4.5, std: 1.25, min: 2.5, max: 6 },
        { name: 'sky', type: 'category', role: 'target', missing: 1, distinct: 4, topValues: [{ value: 'rain', count: 2 }, { value: 'sun', count: 1 }, { value: 'fog', count: 1 }, { value: 'snow', count: 1 }] },
        { name: 'note', type: 'text', role: 'ignored', missing: 4, distinct: 0, topValues: [] },
      ],
    });
    expect(text.split('\n')).toEqual([
      'ds_1  weather',
      'task                 classification',
      'target               sky (classes: rain, sun)',
      'rows                 4',
      'rows without target  1 (kept, not trained on)',
      'features             2',
      '',
      'COLUMN  TYPE      ROLE     MISSING  DISTINCT  MEAN                  STD         MIN         MAX         TOP VALUES',
      'date    datetime  feature        0         4  2012-01-02T12:00:00Z  1.292 days  2012-01-01  2012-01-04  -',
      'wind    number    feature        1         3  4.5                   1.25        2.5         6           -',
      'sky     category  target         1         4  -                     -           -           -           rain 2, sun 1, fog 1, …',
      'note    text      ignored        4         0  -                     -           -           -           -',
    ]);
  });

  it('lists the feature names of a dataset without a profile (built-ins)', () => {
    expect(describeDataset(BASE).split('\n').slice(-1)).toEqual(['features  2: date, wind']);
  });
});
