import { describe, expect, it } from 'vitest';
import { ApiError } from '@trainyard/contracts';
import { StreamRegistry } from './stream-registry.ts';

describe('StreamRegistry', () => {
  it('refuses a stream beyond the per-tenant limit with 429, per tenant', () => {
    const registry = new StreamRegistry(2);
    const release = registry.open('a', { end() {} });
    registry.open('a', { end() {} });
    expect(() => registry.open('a', { end() {} })).toThrow(ApiError);
    try {
      registry.open('a', { end() {} });
    } catch (error) {
      expect((error as ApiError).status).toBe(429);
    }
    expect(() => registry.open('b', { end() {} })).not.toThrow();
    release();
    expect(registry.count('a')).toBe(1);
    expect(() => registry.open('a', { end() {} })).not.toThrow();
  });

  it('ends every stream on close and refuses new ones', () => {
    const registry = new StreamRegistry(5);
    let ended = 0;
    registry.open('a', { end: () => ended++ });
    registry.open('b', { end: () => ended++ });
    registry.closeAll();
    registry.closeAll();
    expect(ended).toBe(2);
    expect(() => registry.open('a', { end() {} })).toThrow(/shutting down/);
  });
});
