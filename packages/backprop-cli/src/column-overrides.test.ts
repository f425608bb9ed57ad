import { describe, expect, it } from 'vitest';
import { parseColumnOverrides } from './column-overrides.ts';

describe('--column NAME=TYPE', () => {
  it('maps each flag to the upload\'s columns; the type is after the last =, any case', () => {
    expect(parseColumnOverrides([])).toBeUndefined();
    expect(parseColumnOverrides(['zip=category', 'a=b=IGNORE', 'Flipper Length (mm)=number'])).toEqual({
      zip: 'category', 'a=b': 'ignore', 'Flipper Length (mm)': 'number',
    });
  });

  it('rejects a missing name, an unknown type and a name given twice, naming the flag', () => {
    expect(() => parseColumnOverrides(['zip'])).toThrow('--column "zip": expected NAME=TYPE, e.g. --column zip=category');
    expect(() => parseColumnOverrides(['=number'])).toThrow('expected NAME=TYPE');
    expect(() => parseColumnOverrides(['zip=integer'])).toThrow('--column "zip=integer": unknown type "integer"; the types are number, boolean, datetime, category, text, ignore');
    expect(() => parseColumnOverrides(['zip=text', 'zip=category'])).toThrow('--column "zip" is given twice');
  });
});
