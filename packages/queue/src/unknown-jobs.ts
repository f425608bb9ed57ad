// Job ids a worker took off the queue that its own database does not know: another deployment shares the
// queue (the same TRAINYARD_QUEUE on one Redis). Counted in Redis per queue name, so every API instance's
// /metrics reports the same total, however many workers saw them.
import type { Redis } from 'ioredis';

export function unknownJobsKey(queueName: string): string {
  return `trainyard:unknown-jobs:${queueName}`;
}

/** Adds one sighting; answers the total so far. */
export async function countUnknownJob(redis: Redis, queueName: string): Promise<number> {
  return redis.incr(unknownJobsKey(queueName));
}

/** Sightings so far on this queue (0 when none). */
export async function unknownJobCount(redis: Redis, queueName: string): Promise<number> {
  return Number((await redis.get(unknownJobsKey(queueName))) ?? 0);
}
