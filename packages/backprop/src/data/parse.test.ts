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
  it('accepts lone-CR line ends, a BOM, empty fields, a missing final line break, and skips blank lines', () => {
    expect(parseCsvTable('\ufeffa,b\r1,\r\r"",2')).toEqual([['a', 'b'], ['1', ''], ['', '2']]);
  });
  it('rejects an unclosed quote, naming the line it opened on', () => {
    const error = failure(() => parseCsvTable('a,b\n1,2\n"open,1\n3,4\n'));
    expect(error.code).toBe('malformed_dataset');
    expect(error.message).toBe('CSV line 3: a quoted field is never closed');
  });
  it('rejects a quote inside an unquoted field and text after a closing quote', () => {
    expect(failure(() => parseCsvTable('a,b\n1,2"3\n')).message).toBe('CSV line 2: a quote inside an unquoted field');
    expect(failure(() => parseCsvTable('a,b\n"1"2,3\n')).message).toBe('CSV line 2: text after the closing quote of a field');
  });
  it('stops one row past a row limit', () => {
    expect(parseCsvTable('h\n1\n2\n3\n4\n', 2)).toEqual([['h'], ['1'], ['2']]);
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
  it('reads quoted numbers, surrounding spaces and exponents as numbers', () => {
    const d = parseCsv('a , b,label\n" 1.5 ",-2e-3, x \n0,4,y\n', classify);
    expect(d.features).toEqual(['a', 'b']);
    expect(Array.from(d.x)).toEqual([1.5, -2e-3, 0, 4].map(Math.fround));
    expect(d.classes).toEqual(['x', 'y']);
  });
  it('treats blank feature cells as missing, not zero', () => {
    expect(failure(() => parseCsv('a,label\n1,x\n  ,y\n', classify)).details[0]).toEqual({ row: 2, column: 'a', message: '"  " is not a finite number' });
  });
  it('reports at most 20 problems, and stops counting past 1000', () => {
    const text = `a,label\n${'x,y\n'.repeat(1500)}`;
    const error = failure(() => parseCsv(text, classify));
    expect(error.details).toHaveLength(20);
    expect(error.message).toMatch(/^over 1000 problem\(s\); first at row 1, column "a"/);
  });
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
    expect(failure(() => parseJsonRows([{ a: true, label: 'x' }, { a: 1, label: 'y' }], classify)).details[0]).toEqual({ row: 1, column: 'a', message: 'true is not a finite number' });
    expect(failure(() => parseJsonRows([{ a: 1, label: null }, { a: 1, label: 'y' }], classify)).details[0]).toEqual({ row: 1, column: 'label', message: 'the target is missing' });
    expect(failure(() => parseJsonRows([], classify)).message).toMatch(/no rows/);
  });
  it('reads numeric labels as class names, sorted numerically', () => {
    const d = parseJsonRows([{ a: 1, label: 10 }, { a: 2, label: 2 }, { a: 3, label: '2' }], classify);
    expect(d.classes).toEqual(['2', '10']);
    expect(Array.from(d.y)).toEqual([1, 0, 0]);
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
    expect(Array.from(encodeDatasetArrays(d).y)).toEqual([0, 0, 0, 0, 0, 0, 0x80, 0x3f]); // 0 and 1 as float32 LE
  });
  it('reject stored labels outside the classes and non-finite features', () => {
    const d = parseCsv('a,b,label\n1.5,-2,x\n3,4e-3,y\n', classify);
    const { x: _x, y: _y, ...info } = d;
    const { x, y } = encodeDatasetArrays({ ...d, y: Float32Array.from([0, 2]) });
    expect(() => decodeDatasetArrays(info, x, y)).toThrow(/row 2 is 2; expected a class index below 2/);
    const fractional = encodeDatasetArrays({ ...d, y: Float32Array.from([0.5, 1]) });
    expect(() => decodeDatasetArrays(info, fractional.x, fractional.y)).toThrow(/row 1 is 0.5/);
    const infinite = encodeDatasetArrays({ ...d, x: Float32Array.from([1, 2, Infinity, 4]) });
    expect(() => decodeDatasetArrays(info, infinite.x, infinite.y)).toThrow(/feature 0 of row 2 is Infinity/);
    const regression = { ...info, task: 'regression' as const, classes: undefined };
    const nan = encodeDatasetArrays({ ...d, y: Float32Array.from([NaN, 1]) });
    expect(() => decodeDatasetArrays(regression, nan.x, nan.y)).toThrow(/row 1 is NaN; expected a finite number/);
  });
});
