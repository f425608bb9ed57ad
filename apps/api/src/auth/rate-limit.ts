import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { ApiError } from '@trainyard/contracts';

const WINDOW_MS = 60_000;

/**
 * A fixed one-minute window per API key, counted in Redis so every API instance shares it. The key
 * names its window, so it expires by itself; a Redis outage lets requests through rather than failing them.
 */
export function createRateLimiter(redis: Redis, perMinute: number) {
  return async function rateLimit(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const now = Date.now();
    const window = Math.floor(now / WINDOW_MS);
    const key = `trainyard:rate:${request.apiKeyId}:${window}`;
    let count: number;
    try {
      const results = await redis.multi().incr(key).pexpire(key, WINDOW_MS + 1000).exec();
      count = Number(results?.[0]?.[1] ?? 0);
    } catch (error) {
      request.log.warn({ err: error }, 'rate limiter unavailable; request allowed');
      return;
    }
    const remaining = Math.max(0, perMinute - count);
    const resetSeconds = Math.ceil(((window + 1) * WINDOW_MS - now) / 1000);
    reply.header('RateLimit-Limit', perMinute).header('RateLimit-Remaining', remaining).header('RateLimit-Reset', resetSeconds);
    if (count > perMinute) {
      throw new ApiError('rate_limited', `more than ${perMinute} requests per minute for this API key`, undefined, {
        'Retry-After': String(resetSeconds),
      });
    }
  };
}
