import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { Queue } from 'bullmq';
import { createAdminGuard } from './auth/admin.ts';

export const BULL_BOARD_PATH = '/admin/queues';

/**
 * Bull Board at /admin/queues, behind the admin key (Bearer, or Basic auth with the key as password so a
 * browser can open it); 404 without TRAINYARD_ADMIN_KEY. Its routes stay out of the OpenAPI document.
 */
export async function registerBullBoard(app: FastifyInstance, queue: Queue, adminKey: string | null): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  // @bull-board/fastify pins its own patch release of @bull-board/api: same shape, separate declarations.
  createBullBoard({ queues: [new BullMQAdapter(queue)], serverAdapter: serverAdapter as never });
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
    });
    scope.addHook('onRequest', createAdminGuard(adminKey));
    await scope.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
  });
}
