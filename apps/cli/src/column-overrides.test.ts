import { describe, expect, it } from 'vitest';
import { parseColumnOverrides } from './column-overrides.ts';

describe('parseColumnOverrides', () => {
  it('maps each NAME=TYPE to the upload\'s columns, names with spaces or = included', () => {
    expect(parseColumnOverrides(['zip=category', 'Body Mass (g)=Number', 'a=b=ignore'])).toEqual({ zip: 'category', 'Body Mass (g)': 'number', 'a=b': 'ignore' });
    expect(parseColumnOverrides([])).toBeUndefined();
  });

  it('rejects an unknown type, listing the types', () => {
    expect(() => parseColumnOverrides(['zip=integer'])).toThrow('--column "zip=integer": unknown type "integer"; the types are number, boolean, datetime, category, text, ignore');
  });

  it('rejects a flag without a name or type, and a name given twice', () => {
    expect(() => parseColumnOverrides(['zip'])).toThrow('expected NAME=TYPE');
    expect(() => parseColumnOverrides(['=number'])).toThrow('expected NAME=TYPE');
    expect(() => parseColumnOverrides(['zip=text', 'zip=category'])).toThrow('--column "zip" is given twice');
  });
});
