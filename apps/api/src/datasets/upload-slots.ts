// How many dataset uploads one tenant has in progress, across every API process: a Redis sorted set per
// tenant whose members are the open uploads and whose scores are their leases' ends. An upload renews its
// lease while it runs and removes itself when its response closes; a process that dies mid-upload leaks
// its slot for at most one lease.
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { ApiError } from '@trainyard/contracts';

/** How long a slot outlives its last renewal. */
export const UPLOAD_LEASE_MS = 60_000;
/** What a refused client is told to wait: uploads end in seconds, not minutes. */
const RETRY_AFTER_SECONDS = 5;

// KEYS[1] the tenant's set; ARGV: now, lease end, limit, member. Drops expired slots, then takes one if there is room.
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local open = redis.call('ZCARD', KEYS[1])
if open >= tonumber(ARGV[3]) then return {0, open} end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
return {1, open + 1}`;

// KEYS[1]; ARGV: lease end, member. Renews a slot still held (XX: a released one stays released).
const RENEW = `
if redis.call('ZADD', KEYS[1], 'XX', 'CH', ARGV[1], ARGV[2]) == 1 then redis.call('PEXPIREAT', KEYS[1], ARGV[1]) end
return 1`;

export class UploadSlots {
  constructor(
    private readonly redis: Redis,
    private readonly limit: number,
    private readonly leaseMs = UPLOAD_LEASE_MS,
  ) {}

  /**
   * The route's onRequest hook: takes a slot for the request's tenant (429 `too_many_uploads` with
   * Retry-After when all are taken) and gives it back when the response closes, however it ends. A Redis
   * outage lets uploads through rather than failing them, as the rate limiter does.
   */
  readonly hook = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const key = `trainyard:uploads:${request.tenantId}`;
    const member = `${process.pid}:${randomBytes(8).toString('hex')}`;
    let taken: [number, number];
    try {
      const now = Date.now();
      taken = (await this.redis.eval(ACQUIRE, 1, key, now, now + this.leaseMs, this.limit, member)) as [number, number];
    } catch (error) {
      request.log.warn({ err: error }, 'upload slots unavailable; upload allowed');
      return;
    }
    if (taken[0] !== 1) {
      throw new ApiError(
        'too_many_uploads',
        `${taken[1]} uploads of this tenant are in progress; at most ${this.limit} at once (TRAINYARD_MAX_CONCURRENT_UPLOADS_PER_TENANT)`,
        undefined,
        { 'Retry-After': String(RETRY_AFTER_SECONDS) },
      );
    }
    const renewal = setInterval(() => {
      this.redis.eval(RENEW, 1, key, Date.now() + this.leaseMs, member).catch(() => undefined);
    }, Math.max(1, Math.floor(this.leaseMs / 3)));
    renewal.unref();
    reply.raw.once('close', () => {
      clearInterval(renewal);
      this.redis.zrem(key, member).catch((error: unknown) => request.log.warn({ err: error }, 'upload slot not released; its lease ends it'));
    });
  };

  /** Slots of a tenant held now (for tests and metrics). */
  async open(tenantId: string): Promise<number> {
    const key = `trainyard:uploads:${tenantId}`;
    await this.redis.zremrangebyscore(key, '-inf', Date.now());
    return this.redis.zcard(key);
  }
}
