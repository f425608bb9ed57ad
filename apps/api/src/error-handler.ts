import { STATUS_CODES as HTTP_STATUS_TEXT } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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

/** Fastify's router limit on one path parameter (its default): longer ids answer 400 before any route. */
export const MAX_PARAM_LENGTH = 100;

/** Fastify's and its plugins' own client errors, by status. */
const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'bad_request',
  404: 'not_found',
  406: 'unsupported_media_type',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** Maps any thrown error to the contract's `{ error: { code, message, details? } }`; 5xx only for our own faults. */
export function toApiError(error: FastifyError | ApiError | Error | null | undefined): ApiError {
  if (error instanceof ApiError) return error;
  if (typeof error !== 'object' || error === null) return new ApiError('internal', 'internal error');
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

/** Fastify's own messages (FST_ codes) and JSON syntax errors are for the client; another library's may name files. */
function readableMessage(error: FastifyError): string {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.code === 'FST_REQ_FILE_TOO_LARGE') {
    return 'the request body is larger than the configured limit (TRAINYARD_BODY_LIMIT_BYTES)';
  }
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return `a path segment is longer than ${MAX_PARAM_LENGTH} characters`;
  if (error.code?.startsWith('FST_') || error instanceof SyntaxError) return error.message;
  return (HTTP_STATUS_TEXT[error.statusCode ?? 400] ?? 'bad request').toLowerCase();
}

const PRISMA_INVOCATION = /Invalid `[^`]*` invocation/;
const STACK_FRAME = /^\s*at\s.+$/gm;
const SOURCE_LOCATION = /(?:file:\/\/)?(?:[A-Za-z]:)?(?:[\\/][\w.@+-]+)+\.(?:[cm]?[jt]sx?)(?::\d+){1,2}/g;
const SQL = /\b(?:SELECT|INSERT INTO|UPDATE|DELETE FROM|ALTER TABLE|CREATE TABLE|DROP TABLE)\b[\s\S]*\b(?:FROM|WHERE|SET|VALUES|RETURNING|TABLE)\b/;

/**
 * Text for an error body without what a library may have put in it: Prisma's call site and code frame
 * (its reason is the last line), stack frames, source locations and SQL. Our own messages pass unchanged.
 */
export function withoutInternals(text: string): string {
  let clean = text;
  if (PRISMA_INVOCATION.test(clean)) clean = clean.trim().split('\n').at(-1)?.trim() ?? '';
  clean = clean.replace(STACK_FRAME, '').replace(SOURCE_LOCATION, '(source)').trim();
  if (SQL.test(clean)) return 'a database error (logged)';
  return clean === '' ? 'internal error' : clean;
}

/** The body of an error answer, scrubbed of internals. */
export function errorBody(error: ApiError): ReturnType<ApiError['toBody']> {
  const body = error.toBody();
  body.error.message = withoutInternals(body.error.message);
  if (body.error.details) body.error.details = body.error.details.map((detail) => ({ ...detail, message: withoutInternals(detail.message) }));
  return body;
}

/**
 * Fastify's `frameworkErrors`: what it answers before routing (a path parameter past MAX_PARAM_LENGTH, a
 * URL that does not decode) in the contract's shape too, instead of Fastify's own.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const apiError = toApiError(error);
  if (apiError.status >= 500) request.log.error({ err: error }, 'request failed');
  void reply.status(apiError.status).type('application/json').send(errorBody(apiError));
}

export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    const apiError = toApiError(error);
    const body = errorBody(apiError);
    if (apiError.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    } else if (body.error.message !== apiError.message || body.error.details?.some((detail, i) => detail.message !== apiError.details?.[i].message)) {
      request.log.warn({ err: error }, 'an error answer was scrubbed of internals');
    }
    if (apiError.headers) reply.headers(apiError.headers);
    return reply.status(apiError.status).type('application/json').send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new ApiError('not_found', `no route ${request.method} ${request.url.split('?')[0]}`);
    return reply.status(404).send(error.toBody());
  });
}
