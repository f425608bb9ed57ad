// Redis connections for the queue, pub/sub and anything else that talks to Redis.
import { Redis, type RedisOptions } from 'ioredis';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * A new ioredis connection. `maxRetriesPerRequest: null` is what BullMQ requires of the connections its
 * workers block on: commands wait for a reconnect instead of failing after a few retries.
 */
export function createRedis(url: string = process.env.REDIS_URL ?? DEFAULT_REDIS_URL, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
  // Without a listener ioredis reports connection errors as unhandled; reconnects happen on their own.
  redis.on('error', () => {});
  return redis;
}

/** Closes a connection, falling back to a hard disconnect when QUIT does not answer in time. Never throws. */
export async function closeRedis(redis: Redis, timeoutMs = 2_000): Promise<void> {
  if (redis.status === 'end') return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      redis.disconnect();
      resolve();
    }, timeoutMs);
  });
  try {
    await Promise.race([redis.quit().then(() => undefined, () => redis.disconnect()), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
