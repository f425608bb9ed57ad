// Files and columns `backprop train` cannot use: one clear line on stderr naming the file, the column or the
// row, nothing on stdout, exit 2, never a stack trace. The files are the real tables, damaged as files get damaged.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { backprop, expectRejected } from './run-backprop.ts';
import { FLIGHTS_3M, PENGUINS, SEATTLE_WEATHER } from './vega-data.ts';

const dir = mkdtempSync(join(tmpdir(), 'backprop-bad-files-'));
const weatherCsv = readFileSync(SEATTLE_WEATHER, 'utf8');

/** A spec over `dataset` (written into the test folder when `bytes` are given), trained with `flags`. */
function rejects(dataset: string, flags: string[], message: RegExp, extra: object = {}, bytes?: Uint8Array | string) {
  if (bytes !== undefined) writeFileSync(join(dir, dataset), bytes);
  writeFileSync(join(dir, 'spec.json'), JSON.stringify({ dataset, model: { layers: [{ units: 3, activation: 'softmax' }] }, ...extra }));
  expectRejected(backprop(['train', 'spec.json', '--out', 'never.safetensors', ...flags], { cwd: dir }), message);
}

describe('unknown columns', () => {
  it('names the target that is not in the table, and the columns that are', () => {
    rejects(PENGUINS, ['--target', 'species'], /dataset .*penguins.json: target column "species" is not in the table \(Species, Island, Beak Length \(mm\)/);
  });

  it('names a --column that the table does not have', () => {
    rejects(PENGUINS, ['--target', 'Species', '--column', 'Wingspan=number'], /columns names columns the table does not have: Wingspan$/m);
  });

  it('names a feature of the spec that is not a feature column', () => {
    rejects(PENGUINS, ['--target', 'Species'], /cannot be prepared for this job: features names columns that are not features of the dataset: Wingspan$/m,
      { features: { include: ['Beak Depth (mm)', 'Wingspan'] } });
  });
});

describe('values that do not fit', () => {
  it('a regression on a category target', () => {
    rejects(PENGUINS, ['--target', 'Species', '--task', 'regression'], /a regression target must be numbers; column "Species" is category/);
  });

  it('a forced type the column\'s values do not have: counted, with example rows', () => {
    rejects(PENGUINS, ['--target', 'Species', '--column', 'Sex=boolean'], /column "Sex": 334 values are not booleans .*\(rows 1, 2, 3, 5, 6, 7, 8, 13, 14, 15, …\)/);
  });

  it('an unknown --column type', () => {
    rejects(PENGUINS, ['--target', 'Species', '--column', 'Sex=integer'], /--column "Sex=integer": unknown type "integer"; the types are number, boolean, datetime, category, text, ignore/);
  });
});

describe('files that cannot be read', () => {
  it('an empty file', () => rejects('empty.csv', ['--target', 'weather'], /dataset empty.csv: the file is empty/, {}, ''));

  it('JSON cut short', () => {
    rejects('cut.json', ['--target', 'Species'], /dataset cut.json: the file could not be read as JSON: Unterminated string/, {}, readFileSync(PENGUINS).subarray(0, 1000));
  });

  it('Parquet cut short', () => {
    rejects('cut.parquet', ['--target', 'delay'], /dataset cut.parquet: the file could not be read as Parquet: .*PAR1/, {}, readFileSync(FLIGHTS_3M).subarray(0, 65_536));
  });

  it('a damaged gzip stream', () => {
    rejects('weather.csv.gz', ['--target', 'weather'], /dataset weather.csv.gz: the file could not be read as gzip/, {}, Buffer.from([0x1f, 0x8b, 0x08, 0x00, ...Buffer.from('not deflate at all')]));
  });

  it('a CSV row with a field more than the header, by its row number', () => {
    const lines = weatherCsv.split('\n');
    lines[4] += ',extra';
    rejects('ragged.csv', ['--target', 'weather'], /rows do not match the header: 1 rows have 7 fields; the header has 6 \(rows 4\)/, {}, lines.join('\n'));
  });

  it('a binary file that is no table', () => {
    copyFileSync(join(PENGUINS, '..', '7zip.png'), join(dir, 'image.csv'));
    rejects('image.csv', ['--target', 'weather'], /dataset image.csv: the file could not be read as CSV: it holds NUL bytes/);
  });

  it('a --format the file is not written in', () => {
    rejects(SEATTLE_WEATHER, ['--target', 'weather', '--format', 'parquet'], /the file could not be read as Parquet/);
    rejects(SEATTLE_WEATHER, ['--target', 'weather', '--format', 'xlsx'], /--format must be one of csv, json, jsonl, parquet, not "xlsx"/);
  });

  it('a file that is not there', () => rejects('absent.csv', ['--target', 'weather'], /cannot read dataset .*absent.csv: ENOENT/));
});
