import { describe, expect, it } from 'vitest';
import { closeAll } from './shutdown.ts';

const silent = { error: () => undefined };

describe('closeAll', () => {
  it('runs every step in order even when one fails, and reports it', async () => {
    const order: string[] = [];
    const close = closeAll(
      [
        ['a', async () => void order.push('a')],
        ['b', async () => { order.push('b'); throw new Error('boom'); }],
        ['c', async () => void order.push('c')],
      ],
      { timeoutMs: 1000, log: silent },
    );
    expect(await close()).toBe(false);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('is idempotent: a second call neither repeats the steps nor waits again', async () => {
    let runs = 0;
    const close = closeAll([['a', async () => void runs++]], { timeoutMs: 1000, log: silent });
    const [first, second] = await Promise.all([close(), close()]);
    expect([first, second, await close()]).toEqual([true, true, true]);
    expect(runs).toBe(1);
  });

  it('finishes when a step never does', async () => {
    const after: string[] = [];
    const close = closeAll(
      [
        ['hangs', () => new Promise(() => undefined)],
        ['after', async () => void after.push('ran')],
      ],
      { timeoutMs: 50, log: silent },
    );
    expect(await close()).toBe(false);
    expect(after).toEqual(['ran']);
  });
});
