import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobCache } from './job-cache.ts';

describe('JobCache', () => {
  afterEach(() => vi.useRealTimers());

  it('answers the body to its own tenant only, until it expires', () => {
    vi.useFakeTimers({ now: 0 });
    const cache = new JobCache(500);
    cache.set('job_1', 'ten_a', '{"id":"job_1"}', cache.begin());
    expect(cache.get('job_1', 'ten_a')).toBe('{"id":"job_1"}');
    expect(cache.get('job_1', 'ten_b')).toBeUndefined();
    vi.setSystemTime(500);
    expect(cache.get('job_1', 'ten_a')).toBeUndefined();
  });

  it('forgets a job when told it changed', () => {
    const cache = new JobCache(60_000);
    cache.set('job_1', 'ten_a', 'x', cache.begin());
    cache.invalidate('job_1');
    expect(cache.get('job_1', 'ten_a')).toBeUndefined();
  });

  it('does not cache a read that began before the job changed', () => {
    const cache = new JobCache(60_000);
    const begun = cache.begin();
    cache.invalidate('job_1'); // the worker wrote while we were reading
    cache.set('job_1', 'ten_a', 'stale', begun);
    expect(cache.get('job_1', 'ten_a')).toBeUndefined();
    cache.set('job_1', 'ten_a', 'fresh', cache.begin());
    expect(cache.get('job_1', 'ten_a')).toBe('fresh');
  });

  it('caches nothing with a zero TTL and stays within its size bound', () => {
    const off = new JobCache(0);
    off.set('j', 't', 'x', off.begin());
    expect(off.get('j', 't')).toBeUndefined();
    const cache = new JobCache(60_000, 2);
    for (const id of ['a', 'b', 'c']) cache.set(id, 't', id, cache.begin());
    expect([cache.get('a', 't'), cache.get('b', 't'), cache.get('c', 't')]).toEqual([undefined, 'b', 'c']);
  });
});
