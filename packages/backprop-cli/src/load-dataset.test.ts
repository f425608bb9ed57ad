import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '@trainyard/config';
import { decodeColumn } from '@trainyard/tabular';
import { formatFromFileName, loadDataset } from './load-dataset.ts';

const dir = mkdtempSync(join(tmpdir(), 'backprop-load-dataset-'));
const spec = join(dir, 'job.json');
// Four distinct colours, five rows.
writeFileSync(join(dir, 'paint.csv'), 'colour,litres,glossy\nred,1.5,yes\nblue,2,no\ngreen,,yes\nteal,4,no\nred,5,yes\n');
const limits = loadConfig({}).limits;
const savedEnv = process.env.TRAINYARD_MAX_CATEGORIES;

afterEach(() => {
  if (savedEnv === undefined) delete process.env.TRAINYARD_MAX_CATEGORIES;
  else process.env.TRAINYARD_MAX_CATEGORIES = savedEnv;
});

describe('a dataset file, as the API reads and stores an upload', () => {
  it('types the columns and keeps them as the stored columns the worker decodes, with the dataset\'s meta', async () => {
    const source = await loadDataset('paint.csv', spec, { target: 'glossy' }, limits);
    if (source.kind !== 'columns') throw new Error(`a file gives stored columns, not ${source.kind}`);
    expect(source.meta).toEqual({ task: 'classification', target: 'glossy', features: ['colour', 'litres'], classes: ['no', 'yes'] });
    expect(source.rows).toBe(5);
    const litres = decodeColumn(source.columns[1], source.rows);
    expect(litres.type).toBe('number');
    expect([...(litres as { values: Float64Array }).values]).toEqual([1.5, 2, NaN, 4, 5]);
  });

  it('takes TRAINYARD_MAX_CATEGORIES from the service\'s configuration: past it, strings are text, not a feature', async () => {
    process.env.TRAINYARD_MAX_CATEGORIES = '3';
    const source = await loadDataset('paint.csv', spec, { target: 'glossy' });
    expect(source.kind === 'columns' && source.meta.features).toEqual(['litres']);
    expect(source.kind === 'columns' && source.columns[0].type).toBe('text');
  });

  it('refuses a table past the service\'s row and column limits, naming the variables', async () => {
    await expect(loadDataset('paint.csv', spec, { target: 'glossy' }, { ...limits, maxDatasetRows: 4 }))
      .rejects.toThrow('the dataset is larger than the service accepts: more than 4 rows (TRAINYARD_MAX_DATASET_ROWS)');
    await expect(loadDataset('paint.csv', spec, { target: 'glossy' }, { ...limits, maxDatasetColumns: 1 }))
      .rejects.toThrow('dataset paint.csv: the dataset has 3 columns; the limit is 2'); // the reader stops at the header, as for an upload
  });

  it('says which flags do not apply to a built-in', async () => {
    await expect(loadDataset('builtin:iris', spec, { target: 'species', columns: { a: 'ignore' } })).rejects.toThrow('--target, --column describe a dataset file; builtin:iris already has its target and task');
    await expect(loadDataset('builtin:cifar', spec, {})).rejects.toThrow('unknown built-in dataset builtin:cifar; known: xor, spirals, iris, mnist');
  });
});

describe('the format a file name says plainly (the upload route\'s rule)', () => {
  it('Parquet and JSON Lines by extension, gzip or not; the rest by content', () => {
    expect(formatFromFileName('a/flights.parquet')).toBe('parquet');
    expect(formatFromFileName('FLIGHTS.PARQUET.GZ')).toBe('parquet');
    expect(formatFromFileName('rows.jsonl')).toBe('jsonl');
    expect(formatFromFileName('rows.ndjson.gz')).toBe('jsonl');
    expect(formatFromFileName('table.csv')).toBeUndefined();
    expect(formatFromFileName('table.json')).toBeUndefined();
  });
});
