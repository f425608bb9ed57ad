import { describe, expect, it } from 'vitest';
import { decodeDatasetArrays, encodeDatasetArrays } from './arrays.ts';
import { parseCsvTable } from './csv.ts';
import { DatasetError } from './dataset-error.ts';
import { parseCsv, parseJsonRows, parseJsonText } from './parse.ts';

const classify = { target: 'label', task: 'classification' as const };

function failure(run: () => unknown): DatasetError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return error as DatasetError;
  }
  throw new Error('expected a DatasetError');
}

describe('CSV tables', () => {
  it('follows RFC 4180: quotes, escaped quotes, embedded commas and newlines, CRLF', () => {
    const rows = parseCsvTable('a,b\r\n"x, y","say ""hi"""\r\n"multi\nline",2\n');
    expect(rows).toEqual([['a', 'b'], ['x, y', 'say "hi"'], ['multi\nline', '2']]);
  });
  it('rejects an unclosed quote', () => {
    expect(failure(() => parseCsvTable('a,b\n"open,1\n')).code).toBe('malformed_dataset');
  });
});

describe('parseCsv', () => {
  it('reads features, classes sorted numeric-aware, and class indices', () => {
    const d = parseCsv('f1,label,f2\n1,10,2\n3,9,4\n5,10,6\n', classify);
    expect(d.features).toEqual(['f1', 'f2']);
    expect(d.classes).toEqual(['9', '10']);
    expect(Array.from(d.x)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(d.y)).toEqual([1, 0, 1]);
    expect(d.rows).toBe(3);
  });
  it('reads regression targets', () => {
    const d = parseCsv('x,y\n1,0.5\n2,1.5\n', { target: 'y', task: 'regression' });
    expect(Array.from(d.y)).toEqual([0.5, 1.5]);
    expect(d.classes).toBeUndefined();
  });
  const bad: [string, string, object, string, RegExp][] = [
    ['an empty file', '', classify, 'malformed_dataset', /empty/],
    ['a header without rows', 'a,label\n', classify, 'invalid_dataset', /no data rows/],
    ['an unknown target', 'a,b\n1,2\n', classify, 'invalid_dataset', /target column "label"/],
    ['no feature column', 'label\nx\ny\n', classify, 'invalid_dataset', /no feature columns/],
    ['duplicate headers', 'a,a,label\n1,2,x\n', classify, 'invalid_dataset', /appears twice/],
    ['a ragged row', 'a,label\n1,x\n2\n', classify, 'invalid_dataset', /row 2/],
    ['a non-numeric feature', 'a,label\n1,x\nabc,y\n', classify, 'invalid_dataset', /row 2, column "a"/],
    ['NaN', 'a,label\nNaN,x\n1,y\n', classify, 'invalid_dataset', /not a finite number/],
    ['Infinity', 'a,label\nInfinity,x\n1,y\n', classify, 'invalid_dataset', /not a finite number/],
    ['a missing target', 'a,label\n1,\n2,y\n', classify, 'invalid_dataset', /target is missing/],
    ['one class only', 'a,label\n1,x\n2,x\n', classify, 'invalid_dataset', /at least 2 classes/],
    ['a non-numeric regression target', 'a,y\n1,big\n', { target: 'y', task: 'regression' }, 'invalid_dataset', /must be numbers/],
    ['too many rows', 'a,label\n1,x\n2,y\n3,x\n', { ...classify, maxRows: 2 }, 'invalid_dataset', /maxDatasetRows/],
    ['too many columns', 'a,b,c,label\n1,2,3,x\n', { ...classify, maxColumns: 3 }, 'invalid_dataset', /maxDatasetColumns/],
  ];
  for (const [what, text, options, code, message] of bad) {
    it(`rejects ${what}`, () => {
      const error = failure(() => parseCsv(text, options as typeof classify));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    });
  }
  it('names the row and column of each problem in details', () => {
    const error = failure(() => parseCsv('a,b,label\n1,2,x\n1,oops,y\n', classify));
    expect(error.details[0]).toEqual({ row: 2, column: 'b', message: '"oops" is not a finite number' });
  });
});

describe('parseJsonRows', () => {
  it('reads an array of objects', () => {
    const d = parseJsonRows([{ a: 1, label: 'cat' }, { a: 2, label: 'dog' }], classify);
    expect(d.classes).toEqual(['cat', 'dog']);
    expect(Array.from(d.x)).toEqual([1, 2]);
  });
  it('rejects malformed JSON, non-arrays, non-objects and mismatched keys', () => {
    expect(failure(() => parseJsonText('{nope', classify)).code).toBe('malformed_dataset');
    expect(failure(() => parseJsonRows({ a: 1 }, classify)).code).toBe('malformed_dataset');
    expect(failure(() => parseJsonRows([{ a: 1, label: 'x' }, 3], classify)).message).toMatch(/row 2/);
    expect(failure(() => parseJsonRows([{ a: 1, label: 'x' }, { b: 1, label: 'y' }], classify)).message).toMatch(/missing a/);
    expect(failure(() => parseJsonRows([{ a: '1x', label: 'x' }, { a: 1, label: 'y' }], classify)).code).toBe('invalid_dataset');
  });
});

describe('stored arrays', () => {
  it('round-trip through float32 little-endian bytes', () => {
    const d = parseCsv('a,b,label\n1.5,-2,x\n3,4e-3,y\n', classify);
    const { x, y } = encodeDatasetArrays(d);
    expect(x.byteLength).toBe(16);
    expect(new DataView(x.buffer).getFloat32(0, true)).toBe(1.5);
    const { x: _x, y: _y, ...info } = d;
    expect(decodeDatasetArrays(info, x, y)).toEqual(d);
    expect(() => decodeDatasetArrays({ ...info, rows: 3 }, x, y)).toThrow(/need/);
  });
});
