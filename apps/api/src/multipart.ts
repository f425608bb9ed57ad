import type { FastifyRequest } from 'fastify';
import { ApiError } from '@trainyard/contracts';

export interface MultipartForm {
  file: { buffer: Buffer; filename: string; mimetype: string } | null;
  fields: Record<string, string>;
}

/**
 * Reads a multipart body: one `file` part plus text fields. The plugin's own limits (file size = body
 * limit, part counts) answer 413/400; a broken stream answers 400 instead of failing the request.
 * With `maxFileBytes`, the file is counted as it arrives and 413 is answered as soon as it passes the limit,
 * while the client is still sending (the plugin's own limit only tells once the whole body has been read).
 */
export async function readMultipart(request: FastifyRequest, maxFileBytes?: number): Promise<MultipartForm> {
  const form: MultipartForm = { file: null, fields: {} };
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || form.file !== null) {
          part.file.resume();
          throw new ApiError('bad_request', 'send exactly one file, in the part named "file"');
        }
        const buffer = maxFileBytes === undefined ? await part.toBuffer() : await readLimited(part.file, maxFileBytes);
        form.file = { buffer, filename: part.filename ?? '', mimetype: part.mimetype };
      } else {
        if (Object.hasOwn(form.fields, part.fieldname)) throw new ApiError('bad_request', `field "${part.fieldname}" is given twice`);
        form.fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413) throw tooLarge();
    throw new ApiError('bad_request', `malformed multipart body: ${(error as Error).message}`);
  }
  return form;
}

function tooLarge(): ApiError {
  return new ApiError('payload_too_large', 'the upload is larger than the configured limit (TRAINYARD_BODY_LIMIT_BYTES)');
}

/**
 * The file part's bytes, refused with 413 as soon as the plugin's file-size limit (the body limit) is reached:
 * the plugin itself stops the file there but tells only once the client has sent the rest of the body.
 */
async function readLimited(file: NodeJS.ReadableStream & { destroy(error?: Error): void }, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  file.once('limit', () => file.destroy(tooLarge()));
  for await (const chunk of file as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > limit) {
      file.destroy();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, bytes);
}
