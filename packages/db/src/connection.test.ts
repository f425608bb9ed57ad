import { describe, expect, it } from 'vitest';
import { DEFAULT_DATABASE_URL, redact, resolveConnection } from './connection.ts';

describe('resolveConnection', () => {
  it('takes the schema from the option, then the URL, then DATABASE_SCHEMA, and strips it from the URL', () => {
    const url = 'postgresql://u:p@h:5432/db?schema=from_url&sslmode=disable';
    expect(resolveConnection({ url, schema: 'from_option' }, {})).toEqual({
      connectionString: 'postgresql://u:p@h:5432/db?sslmode=disable', schema: 'from_option',
    });
    expect(resolveConnection({ url }, { DATABASE_SCHEMA: 'from_env' }).schema).toBe('from_url');
    expect(resolveConnection({ url: 'postgresql://h/db' }, { DATABASE_SCHEMA: 'from_env' }).schema).toBe('from_env');
    expect(resolveConnection({ url: 'postgresql://h/db' }, {}).schema).toBeUndefined();
  });

  it('falls back to DATABASE_URL, then the local default', () => {
    expect(resolveConnection({}, { DATABASE_URL: 'postgres://h/x' }).connectionString).toBe('postgres://h/x');
    expect(resolveConnection({}, {}).connectionString).toBe(DEFAULT_DATABASE_URL);
  });

  it('rejects malformed URLs and schema names with the reason, without echoing the password', () => {
    expect(() => resolveConnection({ url: 'not a url' }, {})).toThrow(/not a valid URL/);
    expect(() => resolveConnection({ url: 'mysql://h/db' }, {})).toThrow(/postgresql:\/\//);
    expect(() => resolveConnection({ url: 'postgresql://h/db?schema=a-b' }, {})).toThrow(/schema name/);
    expect(() => resolveConnection({ url: 'postgresql://h/db', schema: '' }, {})).toThrow(/schema name/);
    expect(redact('postgresql://user:secret@h/db')).toBe('postgresql://user:***@h/db');
  });
});
