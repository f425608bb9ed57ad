import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeyCache } from './key-cache.ts';

describe('KeyCache', () => {
  afterEach(() => vi.useRealTimers());

  it('answers from memory until the entry expires', () => {
    vi.useFakeTimers({ now: 0 });
    const cache = new KeyCache(1000);
    cache.set('h1', { tenantId: 't', keyId: 'k' });
    cache.set('h2', null);
    expect(cache.get('h1')).toEqual({ tenantId: 't', keyId: 'k' });
    expect(cache.get('h2')).toBeNull();
    expect(cache.get('h3')).toBeUndefined();
    vi.setSystemTime(1000);
    expect(cache.get('h1')).toBeUndefined();
  });

  it('forgets a revoked key at once', () => {
    const cache = new KeyCache(60_000);
    cache.set('h1', { tenantId: 't', keyId: 'k' });
    cache.delete('h1');
    expect(cache.get('h1')).toBeUndefined();
  });

  it('stays within its size bound, dropping the oldest entry', () => {
    const cache = new KeyCache(60_000, 2);
    cache.set('a', null);
    cache.set('b', null);
    cache.set('c', null);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeNull();
    expect(cache.get('c')).toBeNull();
  });

  it('caches nothing with a zero TTL', () => {
    const cache = new KeyCache(0);
    cache.set('a', { tenantId: 't', keyId: 'k' });
    expect(cache.get('a')).toBeUndefined();
  });
});
