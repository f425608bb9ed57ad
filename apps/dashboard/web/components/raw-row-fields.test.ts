import { describe, expect, it } from 'vitest';
import { rawValue } from './raw-row-fields.ts';

describe('rawValue', () => {
  it('reads empty as missing, numbers and booleans typed, categories and dates as written', () => {
    expect(rawValue({ type: 'number' }, ' 39.1 ')).toBe(39.1);
    expect(rawValue({ type: 'number' }, '')).toBeNull();
    expect(rawValue({ type: 'number' }, 'heavy')).toBe('heavy'); // the service names the row and column
    expect(rawValue({ type: 'boolean' }, 'true')).toBe(true);
    expect(rawValue({ type: 'boolean' }, 'false')).toBe(false);
    expect(rawValue({ type: 'category' }, 'Biscoe')).toBe('Biscoe');
    expect(rawValue({ type: 'datetime' }, '2012-01-01')).toBe('2012-01-01');
    expect(rawValue({ type: 'category' }, '   ')).toBeNull();
  });
});
