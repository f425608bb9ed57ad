import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError, CreateKeyResponse, CreateTenantBody, CreateTenantResponse, IdParams, RevokeKeyResponse } from '@trainyard/contracts';
import type { AppContext } from '../context.ts';
import { createAdminGuard } from '../auth/admin.ts';
import { createApiKey, createTenant, revokeApiKey } from '../auth/tenants.ts';
import { errorResponses } from '../openapi.ts';

const tags = ['admin'];
const security = [{ adminKey: [] }];

/** Tenants and keys. Authorised by TRAINYARD_ADMIN_KEY; without it these routes answer 404. */
export function adminRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { prisma, redis } = context;
  return async (app) => {
    app.addHook('onRequest', createAdminGuard(context.config.adminKey));

    app.post(
      '/admin/tenants',
      {
        schema: {
          tags, security, summary: 'Create a tenant and its first API key (shown once)',
          body: CreateTenantBody,
          response: { 201: CreateTenantResponse, ...errorResponses(400, 401, 404) },
        },
      },
      async (request, reply) => reply.status(201).send(await createTenant(prisma, request.body.name.trim())),
    );

    app.post(
      '/admin/tenants/:id/keys',
      {
        schema: {
          tags, security, summary: 'Create another API key for a tenant (shown once)',
          params: IdParams,
          response: { 201: CreateKeyResponse, ...errorResponses(401, 404) },
        },
      },
      async (request, reply) => {
        const key = await createApiKey(prisma, request.params.id);
        if (key === null) throw new ApiError('not_found', `no tenant ${request.params.id}`);
        return reply.status(201).send(key);
      },
    );

    app.delete(
      '/admin/keys/:id',
      {
        schema: {
          tags, security, summary: 'Revoke an API key: every API instance answers 401 for it from then on',
          params: IdParams,
          response: { 200: RevokeKeyResponse, ...errorResponses(401, 404) },
        },
      },
      async (request) => {
        const revoked = await revokeApiKey(prisma, request.params.id, redis);
        if (revoked === null) throw new ApiError('not_found', `no API key ${request.params.id}`);
        context.keyCache.delete(revoked.hash); // this instance at once; the others through pub/sub
        return { id: revoked.id, revokedAt: revoked.revokedAt.toISOString() };
      },
    );
  };
}
