import type { FastifyRequest } from 'fastify';
import { ApiError } from '@trainyard/contracts';

export interface MultipartForm {
  file: { buffer: Buffer; filename: string; mimetype: string } | null;
  fields: Record<string, string>;
}

/**
 * Reads a multipart body: one `file` part plus text fields. The plugin's own limits (file size = body
 * limit, part counts) answer 413/400; a broken stream answers 400 instead of failing the request.
 */
export async function readMultipart(request: FastifyRequest): Promise<MultipartForm> {
  const form: MultipartForm = { file: null, fields: {} };
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || form.file !== null) {
          part.file.resume();
          throw new ApiError('bad_request', 'send exactly one file, in the part named "file"');
        }
        form.file = { buffer: await part.toBuffer(), filename: part.filename ?? '', mimetype: part.mimetype };
      } else {
        if (Object.hasOwn(form.fields, part.fieldname)) throw new ApiError('bad_request', `field "${part.fieldname}" is given twice`);
        form.fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413) throw new ApiError('payload_too_large', 'the upload is larger than the configured limit (TRAINYARD_BODY_LIMIT_BYTES)');
    throw new ApiError('bad_request', `malformed multipart body: ${(error as Error).message}`);
  }
  return form;
}
