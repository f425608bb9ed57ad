import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError, IdParams, SafetensorsBinary, SnapshotMultipartUpload, SnapshotSchema } from '@trainyard/contracts';
import type { AppContext } from '../context.ts';
import { readMultipart } from '../multipart.ts';
import { errorResponses } from '../openapi.ts';
import { presentSnapshot, SNAPSHOT_SUMMARY } from '../snapshots/present.ts';
import { storeUploadedWeights } from '../snapshots/upload.ts';

const tags = ['snapshots'];

export function snapshotRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { prisma, config } = context;

  return async (app) => {
    app.post(
      '/v1/snapshots',
      {
        schema: {
          tags,
          summary: 'Upload safetensors weights to start jobs from (initialWeights)',
          description: 'Raw body (application/octet-stream) or multipart with a `file` part. Answers 201 with the snapshot (kind "uploaded", jobId null).',
          body: {
            content: {
              'application/octet-stream': { schema: SafetensorsBinary },
              'multipart/form-data': { schema: SnapshotMultipartUpload },
            },
          } as never,
          response: { 201: SnapshotSchema, ...errorResponses(400, 401, 413, 415, 422, 429) },
        },
      },
      async (request, reply) => {
        let bytes: Buffer;
        if (request.isMultipart()) {
          const form = await readMultipart(request);
          if (form.file === null) throw new ApiError('bad_request', 'the form has no "file" part', [{ path: 'file', message: 'is required' }]);
          bytes = form.file.buffer;
        } else if (Buffer.isBuffer(request.body)) {
          bytes = request.body;
        } else {
          throw new ApiError('unsupported_media_type', 'send the weights as application/octet-stream or multipart/form-data');
        }
        return reply.status(201).send(await storeUploadedWeights(prisma, request.tenantId, bytes, config.limits));
      },
    );

    app.get(
      '/v1/snapshots/:id',
      { schema: { tags, summary: 'One snapshot', params: IdParams, response: { 200: SnapshotSchema, ...errorResponses(401, 404, 429) } } },
      async (request) => {
        const row = await prisma.snapshot.findFirst({ where: { id: request.params.id, tenantId: request.tenantId }, select: SNAPSHOT_SUMMARY });
        if (row === null) throw new ApiError('not_found', `no snapshot ${request.params.id}`);
        return presentSnapshot(row);
      },
    );
  };
}
