import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError, IdParams } from '@trainyard/contracts';
import type { AppContext } from '../context.ts';
import { JobEventStream } from '../jobs/stream.ts';
import { errorResponses } from '../openapi.ts';

const EventsQuery = Type.Object(
  { lastEventId: Type.Optional(Type.String({ pattern: '^\\d{1,19}$', description: 'Same as the Last-Event-ID header' })) },
  { additionalProperties: false },
);
const EventsHeaders = Type.Object({
  'last-event-id': Type.Optional(Type.String({ pattern: '^\\d{0,19}$', description: 'Replay the events after this id' })),
});

export function jobEventRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/jobs/:id/events',
      {
        schema: {
          tags: ['jobs'],
          summary: 'Server-Sent Events: status, progress, metrics, snapshot',
          description:
            'Each event has `id:` (resume with Last-Event-ID), `event:` (status | progress | metrics | snapshot) and `data:` (JSON). ' +
            'Replays what happened after Last-Event-ID, then streams live; ends after the final status. Heartbeat comments keep idle streams open.',
          params: IdParams,
          querystring: EventsQuery,
          headers: EventsHeaders,
          produces: ['text/event-stream'],
          response: {
            200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: Type.String() } } },
            ...errorResponses(400, 401, 404, 429),
          } as never,
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const job = await context.prisma.job.findFirst({ where: { id, tenantId: request.tenantId }, select: { id: true } });
        if (job === null) throw new ApiError('not_found', `no job ${id}`);
        const afterId = BigInt(request.headers['last-event-id'] || request.query.lastEventId || 0);

        let release: () => void = () => undefined;
        const stream = new JobEventStream(context, {
          jobId: id,
          afterId,
          response: reply.raw,
          log: request.log,
          onEnd: () => release(),
        });
        release = context.streams.open(request.tenantId, stream); // 429 before anything is written
        reply.hijack();
        await stream.start();
      },
    );
  };
}
