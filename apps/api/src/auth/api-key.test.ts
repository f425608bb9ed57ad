import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bearerToken, generateApiKey, hashApiKey } from './api-key.ts';

describe('API keys', () => {
  it('are ty_ plus 32 base62 characters, all different', () => {
    const keys = new Set(Array.from({ length: 100 }, generateApiKey));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(key).toMatch(/^ty_[A-Za-z0-9]{32}$/);
  });

  it('are stored as their sha256 in hex', () => {
    expect(hashApiKey('ty_abc')).toBe(createHash('sha256').update('ty_abc').digest('hex'));
  });

  it('are read from a well-formed Bearer header only', () => {
    expect(bearerToken('Bearer ty_local_development_key')).toBe('ty_local_development_key');
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken('ty_local_development_key')).toBeNull();
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeNull();
    expect(bearerToken('Bearer short')).toBeNull();
    expect(bearerToken('Bearer has space inside')).toBeNull();
    expect(bearerToken(`Bearer ${'x'.repeat(300)}`)).toBeNull();
  });
});
