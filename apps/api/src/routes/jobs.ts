import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  ApiError, IdParams, JobQuery, JobSchema, JobSubmitBody, ListQuery, MetricPointSchema, MetricsQuery, Page, SnapshotSchema,
  type JobResponse,
} from '@trainyard/contracts';
import type { AppContext } from '../context.ts';
import { cancelJob } from '../jobs/cancel.ts';
import { replayJob } from '../jobs/replay.ts';
import { JOB_COLUMNS, presentJob, presentMetrics } from '../jobs/present.ts';
import { submitJob } from '../jobs/submit.ts';
import { idempotent, IdempotencyHeaders } from '../idempotent-route.ts';
import { errorResponses } from '../openapi.ts';
import { afterRow, decodeRowCursor, encodeRowCursor, NEWEST_FIRST, pageSize, toPage } from '../pagination.ts';
import { presentSnapshot, SNAPSHOT_SUMMARY } from '../snapshots/present.ts';

const tags = ['jobs'];
const JSON_UTF8 = 'application/json; charset=utf-8';

export function jobRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { prisma, config } = context;

  /** The tenant's job, or 404 (another tenant's job included). */
  async function jobOf(tenantId: string, id: string) {
    const row = await prisma.job.findFirst({ where: { id, tenantId }, select: JOB_COLUMNS });
    if (row === null) throw new ApiError('not_found', `no job ${id}`);
    return row;
  }

  async function assertJob(tenantId: string, id: string): Promise<void> {
    const row = await prisma.job.findFirst({ where: { id, tenantId }, select: { id: true } });
    if (row === null) throw new ApiError('not_found', `no job ${id}`);
  }

  return async (app) => {
    app.post(
      '/v1/jobs',
      {
        schema: {
          tags,
          summary: 'Submit a training job',
          description: 'Answers 202 with the queued job. With an Idempotency-Key, a retry with the same body answers 200 with the first job.',
          headers: IdempotencyHeaders,
          body: JobSubmitBody,
          response: { 200: JobSchema, 202: JobSchema, ...errorResponses(400, 401, 409, 413, 415, 422, 429) },
        },
      },
      async (request, reply) => {
        const response = await idempotent(context, request, 'jobs', request.body, async (commit) => ({
          status: 202,
          body: await submitJob(context, request.log, request.tenantId, request.body, commit),
        }));
        return reply.status(response.status as 200 | 202).send(response.body as JobResponse);
      },
    );

    app.get(
      '/v1/jobs',
      {
        schema: {
          tags,
          summary: 'List jobs, newest first',
          querystring: JobQuery,
          response: { 200: Page(JobSchema), ...errorResponses(400, 401, 429) },
        },
      },
      async (request) => {
        const { status, dataset, sweep, after } = request.query;
        const limit = pageSize(request.query.limit, config);
        const rows = await prisma.job.findMany({
          where: {
            tenantId: request.tenantId,
            ...(status ? { status } : {}),
            ...(dataset ? { datasetId: dataset } : {}),
            ...(sweep ? { sweepId: sweep } : {}),
            ...afterRow(after === undefined ? undefined : decodeRowCursor(after)),
          },
          orderBy: NEWEST_FIRST,
          take: limit + 1,
          select: JOB_COLUMNS,
        });
        return toPage(rows, limit, presentJob, encodeRowCursor);
      },
    );

    app.get(
      '/v1/jobs/:id',
      { schema: { tags, summary: 'One job: status, progress, latest metrics', params: IdParams, response: { 200: JobSchema, ...errorResponses(401, 404, 429) } } },
      (request, reply) => {
        // The hot path of a dashboard: from memory while the job does not change, else one indexed query.
        // Not an async handler: a cache hit answers synchronously, with no promise (returning undefined
        // after send is how a sync Fastify handler says it has answered).
        const { id } = request.params;
        const cached = context.jobCache.get(id, request.tenantId);
        // A string payload with a JSON type is sent as is; the schema's serializer made it (whitelisting the fields).
        if (cached !== undefined) {
          reply.header('content-type', JSON_UTF8).send(cached as never);
          return undefined;
        }
        return context.jobCache
          .load(id, request.tenantId, () => jobOf(request.tenantId, id).then((row) => reply.serialize(presentJob(row)) as string))
          .then((body) => {
            reply.header('content-type', JSON_UTF8).send(body as never);
          });
      },
    );

    app.post(
      '/v1/jobs/:id/cancel',
      {
        schema: {
          tags,
          summary: 'Cancel a job',
          description: 'A queued job is cancelled at once (200). A running job is asked to stop (202) and ends `cancelled` within one training step, keeping its snapshots. 409 on a finished job.',
          params: IdParams,
          response: { 200: JobSchema, 202: JobSchema, ...errorResponses(401, 404, 409, 429) },
        },
      },
      async (request, reply) => {
        const { job, cancelled } = await cancelJob(context, request.log, request.tenantId, request.params.id);
        return reply.status(cancelled ? 200 : 202).send(job);
      },
    );

    app.post(
      '/v1/jobs/:id/replay',
      {
        schema: {
          tags,
          summary: 'Train a succeeded job again from exactly the same inputs',
          description: 'Answers 202 with a new job (`replayOf`) that trains the same stored spec, seed and dataset on the original\'s backend and thread count. Once it succeeds, `reproduces: { jobId, identical }` says whether its final weights equal the original\'s byte for byte. 409 unless the job has succeeded. A replay no worker can run on that backend within TRAINYARD_REPLAY_WAIT_SECONDS fails with `backend_unavailable`.',
          params: IdParams,
          response: { 202: JobSchema, ...errorResponses(401, 404, 409, 429) },
        },
      },
      async (request, reply) => reply.status(202).send(await replayJob(context, request.log, request.tenantId, request.params.id)),
    );

    app.delete(
      '/v1/jobs/:id',
      {
        schema: {
          tags,
          summary: 'Delete a finished job with its metrics, events and snapshots (409 while queued or running)',
          params: IdParams,
          response: { 204: Type.Null(), ...errorResponses(401, 404, 409, 429) },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const deleted = await prisma.job.deleteMany({
          where: { id, tenantId: request.tenantId, status: { in: ['succeeded', 'failed', 'cancelled'] } },
        });
        if (deleted.count === 0) {
          const job = await prisma.job.findFirst({ where: { id, tenantId: request.tenantId }, select: { status: true } });
          if (job === null) throw new ApiError('not_found', `no job ${id}`);
          throw new ApiError('conflict', `job ${id} is ${job.status}; cancel it or wait for it to end before deleting it`);
        }
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/v1/jobs/:id/metrics',
      {
        schema: {
          tags,
          summary: 'The metric series, oldest first (one point per epoch, optionally every N steps)',
          params: IdParams,
          querystring: MetricsQuery,
          response: { 200: Page(MetricPointSchema), ...errorResponses(400, 401, 404, 429) },
        },
      },
      async (request) => {
        await assertJob(request.tenantId, request.params.id);
        const limit = Math.min(request.query.limit ?? config.metricsPageSize, config.metricsPageSize);
        const points = await prisma.metricPoint.findMany({
          where: { jobId: request.params.id, step: { gt: request.query.after ?? -1 } },
          orderBy: { step: 'asc' },
          take: limit + 1,
        });
        return toPage(
          points,
          limit,
          (point) => ({
            epoch: point.epoch,
            step: point.step,
            loss: point.loss,
            ...presentMetrics(point),
            at: point.at.toISOString(),
          }),
          (point) => String(point.step),
        );
      },
    );

    app.get(
      '/v1/jobs/:id/snapshots',
      {
        schema: {
          tags: ['snapshots'],
          summary: "A job's snapshots, newest first",
          params: IdParams,
          querystring: ListQuery,
          response: { 200: Page(SnapshotSchema), ...errorResponses(400, 401, 404, 429) },
        },
      },
      async (request) => {
        await assertJob(request.tenantId, request.params.id);
        const limit = pageSize(request.query.limit, config);
        const after = request.query.after === undefined ? undefined : decodeRowCursor(request.query.after);
        const rows = await prisma.snapshot.findMany({
          where: { jobId: request.params.id, tenantId: request.tenantId, ...afterRow(after) },
          orderBy: NEWEST_FIRST,
          take: limit + 1,
          select: SNAPSHOT_SUMMARY,
        });
        return toPage(rows, limit, presentSnapshot, encodeRowCursor);
      },
    );
  };
}
