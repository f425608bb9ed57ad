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

describe('JobCache.load', () => {
  const deferred = () => {
    let resolve!: (body: string) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<string>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };

  it('gives concurrent misses one read, then answers from memory', async () => {
    const cache = new JobCache(60_000);
    const read = deferred();
    let reads = 0;
    const loader = () => {
      reads++;
      return read.promise;
    };
    const answers = [cache.load('job_1', 'ten_a', loader), cache.load('job_1', 'ten_a', loader), cache.load('job_1', 'ten_a', loader)];
    read.resolve('body');
    expect(await Promise.all(answers)).toEqual(['body', 'body', 'body']);
    expect(reads).toBe(1);
    expect(cache.get('job_1', 'ten_a')).toBe('body');
  });

  it('never shares a read with another tenant, nor across a change', async () => {
    const cache = new JobCache(60_000);
    const first = deferred();
    const second = deferred();
    const third = deferred();
    const a = cache.load('job_1', 'ten_a', () => first.promise);
    const b = cache.load('job_1', 'ten_b', () => second.promise);
    cache.invalidate('job_1'); // written while the first read ran: later requests must read again
    const c = cache.load('job_1', 'ten_a', () => third.promise);
    first.resolve('old');
    second.resolve('other');
    third.resolve('new');
    expect(await Promise.all([a, b, c])).toEqual(['old', 'other', 'new']);
    expect(cache.get('job_1', 'ten_a')).toBe('new');
  });

  it('shares a failure with the requests that waited for it, and reads again afterwards', async () => {
    const cache = new JobCache(60_000);
    const failing = deferred();
    const a = cache.load('job_1', 'ten_a', () => failing.promise);
    const b = cache.load('job_1', 'ten_a', () => failing.promise);
    failing.reject(new Error('no job'));
    await expect(a).rejects.toThrow('no job');
    await expect(b).rejects.toThrow('no job');
    await expect(cache.load('job_1', 'ten_a', async () => 'found')).resolves.toBe('found');
  });
});
