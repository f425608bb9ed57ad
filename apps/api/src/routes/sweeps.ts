import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError, IdParams, Page, SweepListQuery, SweepSchema, SweepSubmitBody, TrialSchema } from '@trainyard/contracts';
import type { AppContext } from '../context.ts';
import { errorResponses } from '../openapi.ts';
import { afterRow, decodeCursor, decodeRowCursor, encodeCursor, encodeRowCursor, NEWEST_FIRST, pageSize } from '../pagination.ts';
import { cancelSweep } from '../sweeps/cancel-sweep.ts';
import { leaderboard, presentSweep, SWEEP_COLUMNS } from '../sweeps/present-sweep.ts';
import { streamSweep } from '../sweeps/sweep-stream.ts';
import { submitSweep } from '../sweeps/submit-sweep.ts';
import type { StoredSweepSpec } from '../sweeps/build-trials.ts';

const tags = ['sweeps'];
const TrialsQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1 })), after: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })) },
  { additionalProperties: false },
);

export function sweepRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { prisma, config } = context;

  async function sweepOf(tenantId: string, id: string) {
    const row = await prisma.sweep.findFirst({ where: { id, tenantId }, select: SWEEP_COLUMNS });
    if (row === null) throw new ApiError('not_found', `no sweep ${id}`);
    return row;
  }

  return async (app) => {
    app.post(
      '/v1/sweeps',
      {
        schema: {
          tags,
          summary: 'Start a hyperparameter sweep',
          description: 'Grid or seeded random search over paths of the job body; every trial is checked before the sweep is accepted (422 names the trial and path). Trials are ordinary jobs, at most `parallelism` queued or running at once across all workers; ASHA pruning stops trials whose objective at a rung is not in the top 1/reductionFactor.',
          body: SweepSubmitBody,
          response: { 202: SweepSchema, ...errorResponses(400, 401, 413, 415, 422, 429) },
        },
      },
      async (request, reply) => reply.status(202).send(await submitSweep(context, request.log, request.tenantId, request.body)),
    );

    app.get(
      '/v1/sweeps',
      { schema: { tags, summary: 'List sweeps, newest first', querystring: SweepListQuery, response: { 200: Page(SweepSchema), ...errorResponses(400, 401, 429) } } },
      async (request) => {
        const { status, after } = request.query;
        const limit = pageSize(request.query.limit, config);
        const rows = await prisma.sweep.findMany({
          where: { tenantId: request.tenantId, ...(status ? { status } : {}), ...afterRow(after === undefined ? undefined : decodeRowCursor(after)) },
          orderBy: NEWEST_FIRST,
          take: limit + 1,
          select: SWEEP_COLUMNS,
        });
        const page = rows.slice(0, limit);
        return {
          data: await Promise.all(page.map((row) => presentSweep(prisma, row))),
          hasMore: rows.length > limit,
          nextCursor: rows.length > limit ? encodeRowCursor(page[page.length - 1]) : null,
        };
      },
    );

    app.get(
      '/v1/sweeps/:id',
      { schema: { tags, summary: 'One sweep: status, trial counts, best trial', params: IdParams, response: { 200: SweepSchema, ...errorResponses(401, 404, 429) } } },
      async (request) => presentSweep(prisma, await sweepOf(request.tenantId, request.params.id)),
    );

    app.get(
      '/v1/sweeps/:id/trials',
      {
        schema: {
          tags, summary: 'The leaderboard: trials best first by the objective', params: IdParams, querystring: TrialsQuery,
          response: { 200: Page(TrialSchema), ...errorResponses(400, 401, 404, 429) },
        },
      },
      async (request) => {
        const row = await sweepOf(request.tenantId, request.params.id);
        const limit = pageSize(request.query.limit, config);
        const skip = request.query.after === undefined ? 0 : offsetOf(request.query.after);
        const trials = await leaderboard(prisma, row.id, row.spec as unknown as StoredSweepSpec, { skip, take: limit + 1 });
        const hasMore = trials.length > limit;
        return { data: trials.slice(0, limit), hasMore, nextCursor: hasMore ? encodeCursor([skip + limit]) : null };
      },
    );

    app.post(
      '/v1/sweeps/:id/cancel',
      {
        schema: {
          tags, summary: 'Cancel a sweep: no new trials; queued trials cancelled at once, running ones within a step', params: IdParams,
          response: { 200: SweepSchema, ...errorResponses(401, 404, 409, 429) },
        },
      },
      async (request) => {
        await cancelSweep(context, request.log, request.tenantId, request.params.id);
        return presentSweep(prisma, await sweepOf(request.tenantId, request.params.id));
      },
    );

    app.get(
      '/v1/sweeps/:id/events',
      {
        schema: {
          tags,
          summary: 'Server-Sent Events: trial and status',
          description: '`trial` (a trial\'s status, value or epochs changed: the leaderboard row) and `status` (the sweep\'s status and counts) events, as they happen; the first events describe the sweep as it stands (so a client that reconnects, with or without Last-Event-ID, gets all it missed). Ends after the sweep\'s final status. Heartbeat comments keep idle streams open.',
          params: IdParams,
          produces: ['text/event-stream'],
          response: { 200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: Type.String() } } }, ...errorResponses(401, 404, 429) } as never,
        },
      },
      async (request, reply) => {
        const row = await sweepOf(request.tenantId, request.params.id);
        reply.hijack();
        await streamSweep(context, row.id, request.tenantId, reply.raw, request.raw);
      },
    );
  };
}

function offsetOf(cursor: string): number {
  const [offset] = decodeCursor(cursor);
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw new ApiError('bad_request', 'invalid cursor', [{ path: 'query.after', message: 'is not a cursor this list produced' }]);
  }
  return offset;
}
