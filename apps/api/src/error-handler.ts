import type { FastifyError, FastifyInstance } from 'fastify';
import { ApiError, type ErrorCode, type ErrorDetail } from '@trainyard/contracts';

/** Enough to find the problems in a bad body without answering with megabytes of errors. */
const MAX_DETAILS = 20;

interface SchemaIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** `/model/layers/1/activation` → `model.layers[1].activation`. */
export function toJsonPath(instancePath: string, prefix = ''): string {
  let path = prefix;
  for (const raw of instancePath.split('/').slice(1)) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    path += /^\d+$/.test(segment) ? `[${segment}]` : path === '' ? segment : `.${segment}`;
  }
  return path;
}

/** Ajv's issues as the contract's details: one line per problem, with the JSON path it concerns. */
export function schemaIssuesToDetails(issues: SchemaIssue[], context: string): ErrorDetail[] {
  const prefix = context === 'body' ? '' : context === 'querystring' ? 'query' : context;
  const details: ErrorDetail[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    let path = toJsonPath(issue.instancePath, prefix);
    let message = issue.message ?? 'is invalid';
    if (issue.keyword === 'required') {
      path = joinPath(path, String(issue.params.missingProperty));
      message = 'is required';
    } else if (issue.keyword === 'additionalProperties') {
      path = joinPath(path, String(issue.params.additionalProperty));
      message = 'is not a known field';
    } else if (issue.keyword === 'enum') {
      message = `must be one of: ${(issue.params.allowedValues as unknown[]).join(', ')}`;
    } else if (issue.keyword === 'anyOf') {
      continue; // its branches already said what was wrong
    }
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    details.push({ path: path || context, message });
    if (details.length === MAX_DETAILS) break;
  }
  return details;
}

function joinPath(parent: string, child: string): string {
  return parent === '' ? child : `${parent}.${child}`;
}

/** Fastify's and its plugins' own client errors, by status. */
const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'bad_request',
  404: 'not_found',
  406: 'unsupported_media_type',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** Maps any thrown error to the contract's `{ error: { code, message, details? } }`; 5xx only for our own faults. */
export function toApiError(error: FastifyError | ApiError | Error): ApiError {
  if (error instanceof ApiError) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const details = schemaIssuesToDetails(fastifyError.validation as SchemaIssue[], fastifyError.validationContext ?? 'body');
    return new ApiError('bad_request', 'the request does not match the schema', details);
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const code = STATUS_CODES[status] ?? 'bad_request';
    return new ApiError(code, readableMessage(fastifyError));
  }
  return new ApiError('internal', 'internal error');
}

function readableMessage(error: FastifyError): string {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.code === 'FST_REQ_FILE_TOO_LARGE') {
    return 'the request body is larger than the configured limit (TRAINYARD_BODY_LIMIT_BYTES)';
  }
  return error.message;
}

export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    }
    if (apiError.headers) reply.headers(apiError.headers);
    return reply.status(apiError.status).type('application/json').send(apiError.toBody());
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new ApiError('not_found', `no route ${request.method} ${request.url.split('?')[0]}`);
    return reply.status(404).send(error.toBody());
  });
}
