import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EvaluationQuery, EvaluationSchema, IdParams } from '@trainyard/contracts';
import type { AppContext } from '../context.ts';
import { jobEvaluation } from '../jobs/evaluation.ts';
import { errorResponses } from '../openapi.ts';

export function evaluationRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/jobs/:id/evaluation',
      {
        schema: {
          tags: ['jobs'],
          summary: "A succeeded job's evaluation on its held-out rows: confusion matrix, per-class scores, regression metrics, permutation importance (409 before it succeeded)",
          params: IdParams,
          querystring: EvaluationQuery,
          response: { 200: EvaluationSchema, ...errorResponses(400, 401, 404, 409, 429) },
        },
      },
      async (request) => jobEvaluation(context.prisma, request.tenantId, request.params.id, request.query.snapshot),
    );
  };
}
