import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { columnsOf, csvHeader, formatOf, jsonArrayKeys, jsonLinesKeys, readHead } from './file-columns.ts';

const DATA = new URL('../../../node_modules/vega-datasets/data/', import.meta.url);

describe('formatOf', () => {
  it('reads the format from the name, through .gz', () => {
    expect(['a.csv', 'b.TSV', 'c.json', 'd.jsonl', 'e.ndjson', 'f.parquet', 'g.csv.gz', 'h.json.GZ', 'i.bin'].map(formatOf)).toEqual([
      'csv', 'csv', 'json', 'jsonl', 'jsonl', 'parquet', 'csv', 'json', undefined,
    ]);
  });
});

describe('csvHeader', () => {
  it('detects the delimiter and unquotes names (with doubled quotes, delimiters and newlines inside)', () => {
    expect(csvHeader('\uFEFFa,b,"c, d"\r\n1,2,3')).toEqual(['a', 'b', 'c, d']);
    expect(csvHeader('x;"say ""hi""";z\n1;2;3')).toEqual(['x', 'say "hi"', 'z']);
    expect(csvHeader('one\ttwo\tthree\n')).toEqual(['one', 'two', 'three']);
    expect(csvHeader('p|q\n')).toEqual(['p', 'q']);
    expect(csvHeader('"multi\nline",b\n1,2')).toEqual(['multi\nline', 'b']);
  });
});

describe('JSON keys', () => {
  it('unites the keys of an array\'s complete objects in order of appearance, ignoring a cut-off last one', () => {
    const text = '[{"a": 1, "b": {"nested": [1, {"x": 2}]}}, {"c": "}]\\"", "a": null}, {"d": 1, "e"';
    expect(jsonArrayKeys(text)).toEqual(['a', 'b', 'c']);
    expect(jsonArrayKeys('{"not": "an array"}')).toEqual([]);
  });

  it('reads JSON Lines line by line, leaving out a last line the read cut off', () => {
    expect(jsonLinesKeys('{"a":1}\n{"b":2,"a":3}\n{"c":', false)).toEqual(['a', 'b']);
    expect(jsonLinesKeys('{"a":1}\n{"c":4}', true)).toEqual(['a', 'c']);
  });
});

describe('columnsOf', () => {
  it('reads the header of the published penguins.json and seattle-weather.csv, and of the CSV gzip-compressed', async () => {
    const penguins = await readFile(new URL('penguins.json', DATA));
    expect(await columnsOf(new File([penguins], 'penguins.json'))).toEqual(Object.keys(JSON.parse(penguins.toString('utf8'))[0]));
    const weather = await readFile(new URL('seattle-weather.csv', DATA));
    const expected = ['date', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather'];
    expect(await columnsOf(new File([weather], 'seattle-weather.csv'))).toEqual(expected);
    expect(await columnsOf(new File([gzipSync(weather)], 'seattle-weather.csv.gz'))).toEqual(expected);
  });

  it('answers null for Parquet, which it does not read', async () => {
    expect(await columnsOf(new File([new Uint8Array([0x50, 0x41, 0x52, 0x31])], 'flights.parquet'))).toBeNull();
  });

  it('reads only the head of a large gzip file', async () => {
    const big = gzipSync(Buffer.from('a,b\n' + '1,2\n'.repeat(200_000)));
    const head = await readHead(new Blob([big]), 1000);
    expect(head.text).toHaveLength(1000);
    expect(head.complete).toBe(false);
  });
});
