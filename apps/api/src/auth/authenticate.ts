import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
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
  function lookup(hash: string): Promise<Principal | null> {
    return cache.load(hash, async () => {
      const key = await prisma.apiKey.findUnique({ where: { hash }, select: { id: true, tenantId: true, revokedAt: true } });
      return key !== null && key.revokedAt === null ? { tenantId: key.tenantId, keyId: key.id } : null;
    });
  }

  function admit(request: FastifyRequest, principal: Principal | null): void {
    if (principal === null) throw new ApiError('unauthorized', 'unknown or revoked API key');
    request.tenantId = principal.tenantId;
    request.apiKeyId = principal.keyId;
  }

  // A callback hook, not an async one: a cache hit (every poll but one per TTL) makes no promise.
  return function authenticate(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
    let hash: string;
    let cached: Principal | null | undefined;
    try {
      const header = request.headers.authorization;
      if (header === undefined) throw new ApiError('unauthorized', 'missing API key: send Authorization: Bearer <api key>');
      const token = bearerToken(header);
      if (token === null) throw new ApiError('unauthorized', 'malformed Authorization header: expected Bearer <api key>');
      hash = hashApiKey(token);
      cached = cache.get(hash);
      if (cached !== undefined) admit(request, cached);
    } catch (error) {
      done(error as Error);
      return;
    }
    if (cached !== undefined) {
      done();
      return;
    }
    lookup(hash).then(
      (principal) => {
        try {
          admit(request, principal);
        } catch (error) {
          done(error as Error);
          return;
        }
        done();
      },
      (error: unknown) => done(error as Error),
    );
  };
}
