import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '@trainyard/contracts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The admin key from `Bearer <key>`, or from Basic auth's password (so a browser can open Bull Board). */
function presentedKey(header: string | undefined): string | null {
  if (header === undefined) return null;
  const bearer = /^Bearer (\S+)$/.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : null;
  }
  return null;
}

/**
 * onRequest hook of /admin: without TRAINYARD_ADMIN_KEY the routes do not exist (404); with it, a
 * wrong or missing key answers 401. It answers itself rather than throwing, because Bull Board's routes
 * have an error handler of their own.
 */
export function createAdminGuard(adminKey: string | null) {
  const expected = adminKey === null ? null : digest(adminKey);
  return async function adminGuard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (expected === null) {
      const error = new ApiError('not_found', `no route ${request.method} ${request.url.split('?')[0]}`);
      return reply.status(error.status).send(error.toBody());
    }
    const key = presentedKey(request.headers.authorization);
    if (key === null || !timingSafeEqual(digest(key), expected)) {
      const error = new ApiError('unauthorized', 'the admin routes need Authorization: Bearer <TRAINYARD_ADMIN_KEY>');
      reply.header('WWW-Authenticate', 'Basic realm="trainyard admin", charset="UTF-8"');
      return reply.status(error.status).send(error.toBody());
    }
  };
}
