import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ApiError } from '@trainyard/contracts';
import type { AppContext } from './context.ts';
import { IDEMPOTENCY_KEY_PATTERN, requestHash, type Commit, type StoredResponse } from './idempotency.ts';

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ minLength: 1, maxLength: 255, description: 'Retry-safe submission: the same key and body return the first answer (200); another body answers 409. Kept 24 h.' }),
  ),
});

/** Runs `execute` once per Idempotency-Key (when the request has one); replays answer 200. */
export async function idempotent(
  context: AppContext,
  request: FastifyRequest,
  scope: 'jobs' | 'datasets',
  body: unknown,
  execute: (commit: Commit | null) => Promise<StoredResponse>,
): Promise<StoredResponse> {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return execute(null);
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new ApiError('bad_request', 'Idempotency-Key must be 1–255 visible ASCII characters', [{ path: 'headers.idempotency-key', message: 'is malformed' }]);
  }
  const result = await context.idempotency.run({ tenantId: request.tenantId, scope, key }, requestHash(body), execute);
  return { status: result.status, body: result.body };
}
