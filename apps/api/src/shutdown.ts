import type { FastifyBaseLogger } from 'fastify';

export type CloseStep = [name: string, close: () => Promise<unknown>];

/**
 * A memoised shutdown: runs every step in order, even when one throws or hangs, and finishes within
 * `timeoutMs`. Resolves true when every step closed cleanly. Calling it again returns the same promise.
 */
export function closeAll(steps: CloseStep[], options: { timeoutMs: number; log: Pick<FastifyBaseLogger, 'error'> }): () => Promise<boolean> {
  let closing: Promise<boolean> | undefined;
  return () => {
    closing ??= (async () => {
      const deadline = Date.now() + options.timeoutMs;
      let clean = true;
      for (const [name, close] of steps) {
        const left = Math.max(0, deadline - Date.now());
        const outcome = await settleWithin(close, left);
        if (outcome !== 'closed') {
          clean = false;
          options.log.error({ err: outcome === 'timeout' ? undefined : outcome }, `closing ${name} ${outcome === 'timeout' ? 'timed out' : 'failed'}`);
        }
      }
      return clean;
    })();
    return closing;
  };
}

async function settleWithin(close: () => Promise<unknown>, ms: number): Promise<'closed' | 'timeout' | unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([
      Promise.resolve()
        .then(close)
        .then(() => 'closed' as const, (error: unknown) => error ?? new Error('close failed')),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
