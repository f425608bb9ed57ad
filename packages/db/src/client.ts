// The Prisma client, over node-postgres through @prisma/adapter-pg, optionally bound to one PostgreSQL schema.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.ts';
import { resolveConnection, searchPathOption, type ConnectionOptions } from './connection.ts';

export const DEFAULT_POOL_SIZE = 10;

/**
 * Prisma waits 2 s for a pooled connection to start a transaction and gives it 5 s to finish: a burst of
 * requests (hundreds of submits at once) on a busy machine outlasts both and would answer 500s. Transactions
 * wait in the pool's queue instead; those that pass their own options keep them.
 */
export const TRANSACTION_DEFAULTS = { maxWait: 30_000, timeout: 30_000 };

export interface CreatePrismaOptions extends ConnectionOptions {
  /** Maximum connections in this client's pool. */
  poolSize?: number;
}

export function createPrisma(options: CreatePrismaOptions = {}): PrismaClient {
  const { connectionString, schema } = resolveConnection(options);
  const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
  if (!Number.isInteger(poolSize) || poolSize < 1) {
    throw new Error(`poolSize must be a positive integer, got ${poolSize}`);
  }
  // The adapter qualifies model queries with the schema; search_path covers $queryRaw too.
  const adapter = new PrismaPg(
    { connectionString, max: poolSize, options: searchPathOption(schema) },
    { schema },
  );
  return new PrismaClient({ adapter, transactionOptions: TRANSACTION_DEFAULTS });
}
