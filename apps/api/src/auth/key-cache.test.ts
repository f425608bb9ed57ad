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

  it('gives concurrent misses one lookup, and does not cache one that a revocation overtook', async () => {
    type P = { tenantId: string; keyId: string } | null;
    const cache = new KeyCache(60_000);
    const releases: Array<(principal: P) => void> = [];
    const read = () => new Promise<P>((resolve) => releases.push(resolve));
    const principal = { tenantId: 't', keyId: 'k' };
    const waiting = [cache.load('h1', read), cache.load('h1', read), cache.load('h1', read)];
    expect(releases).toHaveLength(1);
    releases[0](principal);
    expect(await Promise.all(waiting)).toEqual([principal, principal, principal]);
    expect(cache.get('h1')).toEqual(principal);

    cache.delete('h1');
    const stale = cache.load('h1', read); // began before the revocation below reached this instance
    cache.delete('h1');
    const fresh = cache.load('h1', read); // a new lookup, not a share of the stale one
    expect(releases).toHaveLength(3);
    releases[1](principal);
    expect(await stale).toEqual(principal);
    expect(cache.get('h1')).toBeUndefined(); // the stale answer is never cached
    releases[2](null);
    expect(await fresh).toBeNull();
    expect(cache.get('h1')).toBeNull();
  });
});
