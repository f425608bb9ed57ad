import type { FastifyRequest } from 'fastify';
import { ApiError } from '@trainyard/contracts';
import type { PrismaClient } from '@trainyard/db';
import { bearerToken, hashApiKey } from './api-key.ts';
import type { KeyCache, Principal } from './key-cache.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate` on every /v1 route. */
    tenantId: string;
    apiKeyId: string;
  }
}

/**
 * The /v1 onRequest hook: `Authorization: Bearer <key>` → sha256 → ApiKey (not revoked) → tenant.
 * On a cache hit no query runs, which keeps a status poll to the one query that reads the job.
 */
export function createAuthenticator(prisma: PrismaClient, cache: KeyCache) {
  async function lookup(hash: string): Promise<Principal | null> {
    const key = await prisma.apiKey.findUnique({ where: { hash }, select: { id: true, tenantId: true, revokedAt: true } });
    const principal = key !== null && key.revokedAt === null ? { tenantId: key.tenantId, keyId: key.id } : null;
    cache.set(hash, principal);
    return principal;
  }

  return async function authenticate(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    if (header === undefined) throw new ApiError('unauthorized', 'missing API key: send Authorization: Bearer <api key>');
    const token = bearerToken(header);
    if (token === null) throw new ApiError('unauthorized', 'malformed Authorization header: expected Bearer <api key>');
    const hash = hashApiKey(token);
    const cached = cache.get(hash);
    const principal = cached === undefined ? await lookup(hash) : cached;
    if (principal === null) throw new ApiError('unauthorized', 'unknown or revoked API key');
    request.tenantId = principal.tenantId;
    request.apiKeyId = principal.keyId;
  };
}
