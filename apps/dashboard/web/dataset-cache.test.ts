import { describe, expect, it } from 'vitest';
import { ApiRequestError, type Dataset } from '@trainyard/client';
import { DatasetCache } from './dataset-cache.ts';

const iris = { id: 'builtin:iris', name: 'iris' } as Dataset;

/** A loader that counts its calls and answers from `answers` (an Error is thrown). */
function loader(answers: Record<string, Dataset | Error | (() => Dataset | Error)>) {
  const calls: string[] = [];
  const load = async (id: string): Promise<Dataset> => {
    calls.push(id);
    const entry = answers[id];
    const answer = typeof entry === 'function' ? entry() : entry;
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { calls, load };
}

describe('DatasetCache', () => {
  it('asks once per id, however many look-ups wait at the same time or come later', async () => {
    const { calls, load } = loader({ 'builtin:iris': iris });
    const cache = new DatasetCache(load);
    expect(cache.peek('builtin:iris')).toBeUndefined();
    const [first, second] = await Promise.all([cache.get('builtin:iris'), cache.get('builtin:iris')]);
    expect(first).toBe(iris);
    expect(second).toBe(iris);
    expect(await cache.get('builtin:iris')).toBe(iris);
    expect(cache.peek('builtin:iris')).toBe(iris);
    expect(calls).toEqual(['builtin:iris']);
  });

  it('remembers a dataset that is gone (404) as null, and does not remember other failures', async () => {
    let failures = 1;
    const uploaded = { id: 'ds_1', name: 'fizz' } as Dataset;
    const { calls, load } = loader({
      ds_gone: new ApiRequestError(404, 'not_found', 'no dataset ds_gone'),
      ds_1: () => (failures-- > 0 ? new ApiRequestError(503, 'unavailable', 'try again') : uploaded),
    });
    const cache = new DatasetCache(load);
    expect(await cache.get('ds_gone')).toBeNull();
    expect(await cache.get('ds_gone')).toBeNull();
    await expect(cache.get('ds_1')).rejects.toThrow('try again');
    expect(cache.peek('ds_1')).toBeUndefined();
    expect(await cache.get('ds_1')).toBe(uploaded);
    expect(calls).toEqual(['ds_gone', 'ds_1', 'ds_1']);
  });

  it('answers primed datasets without asking', async () => {
    const { calls, load } = loader({});
    const cache = new DatasetCache(load);
    cache.prime([iris]);
    expect(await cache.get('builtin:iris')).toBe(iris);
    expect(calls).toEqual([]);
  });
});
