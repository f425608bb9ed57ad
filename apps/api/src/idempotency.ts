import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError } from '@trainyard/contracts';
import type { Prisma, PrismaClient } from '@trainyard/db';

export interface StoredResponse {
  status: number;
  body: unknown;
}

/** Records the response inside the caller's transaction, so the resource and its key commit together. */
export type Commit = (tx: Prisma.TransactionClient, response: StoredResponse) => Promise<void>;

export interface IdempotencyOptions {
  ttlHours: number;
  /** A claim still in flight after this long belongs to a request that died; a retry may take it over. */
  abandonedAfterMs?: number;
  /** How long a concurrent request with the same key waits for the first to finish. */
  waitMs?: number;
}

export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** sha256 of a JSON value with object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
export function requestHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Idempotency-Key with Stripe's semantics, per tenant and route (`scope`):
 * the first request claims the key by inserting its record (the primary key decides races); a retry with
 * the same body gets the first response again with status 200; another body gets 409; a concurrent
 * request waits for the first. Only successful responses are kept: a request that failed may be retried.
 */
export class Idempotency {
  private readonly ttlMs: number;
  private readonly abandonedAfterMs: number;
  private readonly waitMs: number;

  constructor(
    private readonly prisma: PrismaClient,
    options: IdempotencyOptions,
  ) {
    this.ttlMs = options.ttlHours * 3_600_000;
    this.abandonedAfterMs = options.abandonedAfterMs ?? 60_000;
    this.waitMs = options.waitMs ?? 10_000;
  }

  async run(
    id: { tenantId: string; scope: string; key: string },
    hash: string,
    execute: (commit: Commit) => Promise<StoredResponse>,
  ): Promise<StoredResponse & { replayed: boolean }> {
    const where = { tenantId_scope_key: id };
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      if (await this.claim(id, hash)) return { ...(await this.execute(id, execute)), replayed: false };
      const record = await this.prisma.idempotencyRecord.findUnique({ where });
      if (record === null) continue; // expired and removed meanwhile: claim again
      if (record.requestHash !== hash) {
        throw new ApiError('idempotency_conflict', 'this Idempotency-Key was already used with a different request body');
      }
      if (record.status !== null) return { status: 200, body: record.response, replayed: true };
      if (await this.takeOverAbandoned(id, record.createdAt)) return { ...(await this.execute(id, execute)), replayed: false };
      if (Date.now() > deadline) {
        throw new ApiError('idempotency_in_progress', 'a request with this Idempotency-Key is still in progress; retry shortly');
      }
      await sleep(25);
    }
  }

  /** true when this request now owns the key. Expired records are removed first. */
  private async claim(id: { tenantId: string; scope: string; key: string }, hash: string): Promise<boolean> {
    const now = new Date();
    await this.prisma.idempotencyRecord.deleteMany({ where: { ...id, expiresAt: { lt: now } } });
    const created = await this.prisma.idempotencyRecord.createMany({
      data: [{ ...id, requestHash: hash, expiresAt: new Date(now.getTime() + this.ttlMs) }],
      skipDuplicates: true,
    });
    return created.count === 1;
  }

  private async takeOverAbandoned(id: { tenantId: string; scope: string; key: string }, createdAt: Date): Promise<boolean> {
    if (Date.now() - createdAt.getTime() < this.abandonedAfterMs) return false;
    const taken = await this.prisma.idempotencyRecord.updateMany({
      where: { ...id, status: null, createdAt },
      data: { createdAt: new Date() },
    });
    return taken.count === 1;
  }

  private async execute(
    id: { tenantId: string; scope: string; key: string },
    execute: (commit: Commit) => Promise<StoredResponse>,
  ): Promise<StoredResponse> {
    let committed = false;
    const commit: Commit = async (tx, response) => {
      await tx.idempotencyRecord.update({
        where: { tenantId_scope_key: id },
        data: { status: response.status, response: response.body as Prisma.InputJsonValue },
      });
      committed = true;
    };
    try {
      const response = await execute(commit);
      if (!committed) await commit(this.prisma, response);
      return response;
    } catch (error) {
      // Failed requests keep nothing, so the client may retry with the same key.
      await this.prisma.idempotencyRecord.deleteMany({ where: { ...id, status: null } }).catch(() => undefined);
      throw error;
    }
  }

  /** Drops expired records; run from time to time so the table stays small. */
  async purgeExpired(): Promise<number> {
    const { count } = await this.prisma.idempotencyRecord.deleteMany({ where: { expiresAt: { lt: new Date() } } });
    return count;
  }
}
