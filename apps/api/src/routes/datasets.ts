import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  ApiError, ColumnOverrides, DatasetJsonUpload, DatasetMultipartFields, DatasetMultipartUpload, DatasetSchema, IdParams, ListQuery, Page,
  type DatasetResponse,
} from '@trainyard/contracts';
import type { AppContext } from '../context.ts';
import { BUILTIN_DATASETS } from '@trainyard/backprop';
import { isBuiltinId, findBuiltin, presentBuiltin } from '../datasets/builtins.ts';
import { parseUpload, type DatasetUpload, type UploadFormat } from '../datasets/parse-upload.ts';
import { DATASET_SUMMARY, insertDataset, presentDataset } from '../datasets/store.ts';
import { deleteDataset } from '../datasets/delete.ts';
import { listDatasets } from '../datasets/list.ts';
import { UploadSlots } from '../datasets/upload-slots.ts';
import { idempotent, IdempotencyHeaders } from '../idempotent-route.ts';
import { readMultipart } from '../multipart.ts';
import { schemaIssuesToDetails } from '../error-handler.ts';
import { errorResponses } from '../openapi.ts';

const tags = ['datasets'];
/**
 * The typed columns of a large table are megabytes per column (3M rows: 24 MB each): their insert may take far
 * longer than Prisma's 5 s default for an interactive transaction, which would answer 500 for a good file.
 */
const DATASET_TRANSACTION = { maxWait: 10_000, timeout: 600_000 };

export function datasetRoutes(context: AppContext): FastifyPluginAsyncTypebox {
  const { prisma, config } = context;
  const validateFields = context.ajv.compile(DatasetMultipartFields);
  const validateOverrides = context.ajv.compile(ColumnOverrides);
  // Counted in Redis, so that every API process agrees on a tenant's open uploads.
  const uploadSlots = new UploadSlots(context.redis, config.limits.maxConcurrentUploadsPerTenant);

  /** The multipart `columns` field: a JSON object of column → type. */
  function parseColumnOverrides(text: string): ColumnOverrides {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new ApiError('bad_request', `the "columns" field is not JSON: ${(error as Error).message}`, [{ path: 'columns', message: 'must be a JSON object' }]);
    }
    if (!validateOverrides(value)) {
      throw new ApiError('bad_request', 'the "columns" field must map column names to number, boolean, datetime, category, text or ignore',
        schemaIssuesToDetails(validateOverrides.errors ?? [], 'columns'));
    }
    return value as ColumnOverrides;
  }


  async function uploadFromRequest(request: { isMultipart(): boolean; body: unknown } & Parameters<typeof readMultipart>[0]): Promise<DatasetUpload> {
    if (!request.isMultipart()) {
      // The route's schemas cover JSON and multipart; any other parsed type (octet-stream) lands here unvalidated.
      if (request.headers['content-type']?.split(';')[0].trim().toLowerCase() !== 'application/json') {
        throw new ApiError('unsupported_media_type', 'send the dataset as application/json ({ name, format, content, target, task }) or multipart/form-data');
      }
      const body = request.body as DatasetJsonUpload;
      const original = Buffer.from(typeof body.content === 'string' ? body.content : JSON.stringify(body.content));
      return {
        name: body.name, format: body.format, target: body.target, original,
        ...(body.task ? { task: body.task } : {}),
        ...(body.columns ? { columns: body.columns } : {}),
        ...(Array.isArray(body.content) ? { rows: body.content } : {}),
      };
    }
    const form = await readMultipart(request, config.limits.bodyLimitBytes);
    if (!validateFields(form.fields)) {
      throw new ApiError('bad_request', 'the form fields do not match the schema', schemaIssuesToDetails(validateFields.errors ?? [], 'body'));
    }
    if (form.file === null) throw new ApiError('bad_request', 'the form has no "file" part', [{ path: 'file', message: 'is required' }]);
    const fields = form.fields as DatasetMultipartFields;
    const format = fields.format ?? formatFromFile(form.file.filename);
    const name = fields.name ?? (form.file.filename.replace(/(\.(csv|tsv|txt|json|jsonl|ndjson|parquet))?(\.gz)?$/i, '') || 'dataset');
    return {
      name, target: fields.target, original: form.file.buffer,
      ...(format ? { format } : {}),
      ...(fields.task ? { task: fields.task } : {}),
      ...(fields.columns !== undefined ? { columns: parseColumnOverrides(fields.columns) } : {}),
    };
  }

  return async (app) => {
    app.post(
      '/v1/datasets',
      {
        schema: {
          tags,
          summary: 'Upload a dataset (multipart file or JSON body)',
          headers: IdempotencyHeaders,
          body: {
            content: {
              'application/json': { schema: DatasetJsonUpload },
              'multipart/form-data': { schema: DatasetMultipartUpload },
            },
          } as never,
          response: { 200: DatasetSchema, 201: DatasetSchema, ...errorResponses(400, 401, 409, 413, 415, 422, 429) },
        },
        // From the first byte, before the body is read: an open upload holds its slot until its response closes.
        onRequest: uploadSlots.hook,
      },
      async (request, reply) => {
        const upload = await uploadFromRequest(request);
        const { original, rows: _rows, ...fields } = upload;
        const hashInput = { ...fields, sha256: createHash('sha256').update(original).digest('hex') };
        const response = await idempotent(context, request, 'datasets', hashInput, async (commit) => {
          const dataset = await parseUpload(upload, config.limits);
          const row = await prisma.$transaction(async (tx) => {
            const created = await insertDataset(tx, request.tenantId, upload, dataset);
            if (commit !== null) await commit(tx, { status: 201, body: presentDataset(created) });
            return created;
          }, DATASET_TRANSACTION);
          return { status: 201, body: presentDataset(row) };
        });
        return reply.status(response.status as 200 | 201).send(response.body as DatasetResponse);
      },
    );

    app.get(
      '/v1/datasets',
      { schema: { tags, summary: 'List datasets: built-ins first, then uploads newest first', querystring: ListQuery, response: { 200: Page(DatasetSchema), ...errorResponses(400, 401, 429) } } },
      async (request) => listDatasets(prisma, request.tenantId, request.query, config),
    );

    app.get(
      '/v1/datasets/:id',
      { schema: { tags, summary: 'One dataset', params: IdParams, response: { 200: DatasetSchema, ...errorResponses(401, 404, 429) } } },
      async (request) => {
        const builtin = findBuiltin(request.params.id);
        if (builtin !== undefined) return presentBuiltin(builtin);
        const row = await prisma.dataset.findFirst({ where: { id: request.params.id, tenantId: request.tenantId }, select: DATASET_SUMMARY });
        if (row === null) throw new ApiError('not_found', `no dataset ${request.params.id}`);
        return presentDataset(row);
      },
    );

    app.delete(
      '/v1/datasets/:id',
      {
        schema: {
          tags,
          summary: 'Delete an uploaded dataset (409 while a queued or running job uses it; built-ins are read-only)',
          params: IdParams,
          response: { 204: Type.Null(), ...errorResponses(401, 404, 409, 429) },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        if (isBuiltinId(id) && BUILTIN_DATASETS.some((dataset) => dataset.id === id)) {
          throw new ApiError('conflict', `${id} is a built-in dataset: it is read-only`);
        }
        await deleteDataset(prisma, request.tenantId, id);
        return reply.status(204).send(null);
      },
    );
  };
}

/** A format the file's name says plainly; otherwise the content decides. */
function formatFromFile(filename: string): UploadFormat | undefined {
  const name = filename.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.parquet')) return 'parquet';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  return undefined;
}
