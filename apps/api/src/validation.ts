import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = addFormatsModule.default;

/** Content types whose bodies the route parses itself: their schemas only document the OpenAPI. */
const SELF_PARSED_BODIES = ['multipart/form-data', 'application/octet-stream'];

/**
 * Two validators: bodies are strict (no coercion, unknown fields rejected, so a typo like `epoch` is
 * reported rather than silently ignored); query strings, params and headers are text, so they coerce.
 */
export function createValidatorCompiler(): FastifySchemaCompiler<object> {
  const strict = new Ajv({ allErrors: true, coerceTypes: false, removeAdditional: false, useDefaults: false, strict: false });
  const coercing = new Ajv({ allErrors: true, coerceTypes: 'array', removeAdditional: false, useDefaults: true, strict: false });
  addFormats(strict);
  addFormats(coercing);
  return ({ schema, httpPart, ...rest }) => {
    const contentType = (rest as { contentType?: string }).contentType;
    if (httpPart === 'body' && contentType !== undefined && SELF_PARSED_BODIES.includes(contentType)) {
      return () => true;
    }
    const validate: ValidateFunction = (httpPart === 'body' ? strict : coercing).compile(schema);
    return validate;
  };
}

/** Compiles a schema with the strict body validator, for bodies a route parses itself (multipart fields). */
export function createStrictValidator(): Ajv {
  const ajv = new Ajv({ allErrors: true, coerceTypes: false, removeAdditional: false, strict: false });
  addFormats(ajv);
  return ajv;
}
