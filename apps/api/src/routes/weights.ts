import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { savedModelToJson } from '@trainyard/backprop';
import { exportOnnx, OnnxExportError } from '@trainyard/onnx';
import {
  ApiError, IdParams, JobWeightsQuery, PredictBody, PredictQuery, PredictResponse, SafetensorsBinary, WeightsJson,
} from '@trainyard/contracts';
import type { AppContext } from '../context.ts';
import { predictRows } from '../jobs/predict.ts';
import { errorResponses } from '../openapi.ts';
import { decodeStored, loadWeights, ModelCache, type StoredWeights } from '../snapshots/weights.ts';
import { WeightsQuery } from '@trainyard/contracts';

const weightsResponses = {
  200: {
    description: 'safetensors (application/octet-stream), JSON with ?format=json, or an ONNX model (application/octet-stream) with ?format=onnx',
    content: { 'application/octet-stream': { schema: SafetensorsBinary }, 'application/json': { schema: WeightsJson } },
  },
};

export function weightRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { prisma, config } = context;
  const models = new ModelCache();

  function sendWeights(reply: FastifyReply, snapshot: StoredWeights, format: 'safetensors' | 'json' | 'onnx' | undefined) {
    if (format === 'json') return reply.type('application/json').send(JSON.stringify(savedModelToJson(decodeStored(snapshot))));
    if (format === 'onnx') {
      return reply
        .type('application/octet-stream')
        .header('Content-Disposition', `attachment; filename="${snapshot.id}.onnx"`)
        .send(Buffer.from(onnxOf(snapshot)));
    }
    return reply
      .type('application/octet-stream')
      .header('Content-Disposition', `attachment; filename="${snapshot.id}.safetensors"`)
      .send(Buffer.from(snapshot.weights.buffer, snapshot.weights.byteOffset, snapshot.weights.byteLength));
  }

  /** The snapshot as one ONNX graph; weights the exporter cannot express (an uploaded file's odd names) are 422. */
  function onnxOf(snapshot: StoredWeights): Uint8Array {
    try {
      return exportOnnx(decodeStored(snapshot));
    } catch (error) {
      if (error instanceof OnnxExportError) throw new ApiError('not_exportable', `these weights cannot be exported as ONNX: ${error.message}`);
      throw error;
    }
  }

  /** The job's final (or best) snapshot id; 409 while it has none yet. */
  async function jobSnapshotId(tenantId: string, jobId: string, which: 'final' | 'best'): Promise<string> {
    const job = await prisma.job.findFirst({
      where: { id: jobId, tenantId },
      select: { status: true, finalSnapshotId: true, bestSnapshotId: true },
    });
    if (job === null) throw new ApiError('not_found', `no job ${jobId}`);
    const id = which === 'best' ? job.bestSnapshotId : job.finalSnapshotId;
    if (id === null) throw new ApiError('conflict', `job ${jobId} has no ${which} snapshot yet (status ${job.status})`);
    return id;
  }

  return async (app) => {
    app.get(
      '/v1/snapshots/:id/weights',
      {
        schema: {
          tags: ['snapshots'],
          summary: "A snapshot's weights as safetensors (or ?format=json, ?format=onnx)",
          params: IdParams,
          querystring: WeightsQuery,
          response: { ...weightsResponses, ...errorResponses(400, 401, 404, 422, 429) } as never,
        },
      },
      async (request, reply) => sendWeights(reply, await loadWeights(prisma, request.tenantId, request.params.id), request.query.format),
    );

    app.get(
      '/v1/jobs/:id/weights',
      {
        schema: {
          tags: ['jobs'],
          summary: "The job's final weights (or ?which=best), as safetensors, ?format=json or ?format=onnx",
          params: IdParams,
          querystring: JobWeightsQuery,
          response: { ...weightsResponses, ...errorResponses(400, 401, 404, 409, 422, 429) } as never,
        },
      },
      async (request, reply) => {
        const snapshotId = await jobSnapshotId(request.tenantId, request.params.id, request.query.which ?? 'final');
        return sendWeights(reply, await loadWeights(prisma, request.tenantId, snapshotId), request.query.format);
      },
    );

    app.post(
      '/v1/jobs/:id/predict',
      {
        schema: {
          tags: ['jobs'],
          summary: 'Predict with the final weights (or ?snapshot=<id> of this job)',
          description: 'Rows are raw feature values in dataset order; the job\'s own input normalisation is applied.',
          params: IdParams,
          querystring: PredictQuery,
          body: PredictBody,
          response: { 200: PredictResponse, ...errorResponses(400, 401, 404, 409, 413, 422, 429) },
        },
      },
      async (request) => {
        const { id } = request.params;
        const snapshotId = request.query.snapshot ?? (await jobSnapshotId(request.tenantId, id, 'final'));
        const snapshot = await prisma.snapshot.findFirst({
          where: { id: snapshotId, tenantId: request.tenantId, jobId: id },
          select: { id: true, kind: true },
        });
        if (snapshot === null) {
          const job = await prisma.job.findFirst({ where: { id, tenantId: request.tenantId }, select: { id: true } });
          throw new ApiError('not_found', job === null ? `no job ${id}` : `no snapshot ${snapshotId} of job ${id}`);
        }
        const model = await models.get(snapshot.id, snapshot.kind, () => loadWeights(prisma, request.tenantId, snapshot.id));
        return { ...predictRows(model, request.body, config.limits), snapshot: snapshot.id };
      },
    );
  };
}
