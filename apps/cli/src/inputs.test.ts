import { describe, expect, it } from 'vitest';
import { InputError, parseInputs } from './inputs.ts';

const FEATURES = ['a', 'b'];

describe('parseInputs', () => {
  it('reads JSON rows as arrays, under "inputs", or as objects by feature name', () => {
    expect(parseInputs('[[1, 2], [3, 4]]', 'json', FEATURES)).toEqual([[1, 2], [3, 4]]);
    expect(parseInputs('{"inputs": [[5, 6]]}', 'json', FEATURES)).toEqual([[5, 6]]);
    expect(parseInputs('[{"b": 2, "a": 1, "label": "x"}]', 'json', FEATURES)).toEqual([[1, 2]]);
  });

  it('reads CSV with or without a header, taking header columns by feature name', () => {
    expect(parseInputs('1,2\n3.5,-4\n', 'csv', FEATURES)).toEqual([[1, 2], [3.5, -4]]);
    expect(parseInputs('label,b,a\r\nx,2,1\r\n"y",4,3\r\n', 'csv', FEATURES)).toEqual([[1, 2], [3, 4]]);
  });

  it('names the row and column of a bad value', () => {
    expect(() => parseInputs('1,2\n3,x\n', 'csv', FEATURES)).toThrow('row 2, column 2: "x" is not a number');
    expect(() => parseInputs('[[1, null]]', 'json', FEATURES)).toThrow('row 1, column 2: null is not a number');
    expect(() => parseInputs('b,c\n1,2\n', 'csv', FEATURES)).toThrow('the CSV header has no column "a"');
  });

  it('rejects rows of the wrong width, empty files and invalid JSON', () => {
    expect(() => parseInputs('[[1, 2, 3]]', 'json', FEATURES)).toThrow('row 1 has 3 values; the dataset has 2 features');
    expect(() => parseInputs('\n\n', 'csv', FEATURES)).toThrow(InputError);
    expect(() => parseInputs('[[1,', 'json', FEATURES)).toThrow(/not valid JSON/);
  });
});
