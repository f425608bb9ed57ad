// The queue payload: BullMQ carries only the id of a job row; the worker loads and re-validates the rest.
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';

export const JobPayloadSchema = Type.Object(
  { jobId: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' }) },
  { additionalProperties: false },
);
export type JobPayload = Static<typeof JobPayloadSchema>;

const validator = Compile(JobPayloadSchema);

export class InvalidPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPayloadError';
  }
}

/** Checks what came off the queue; throws InvalidPayloadError naming the problem. */
export function parseJobPayload(data: unknown): JobPayload {
  if (validator.Check(data)) return data;
  const problems = [...validator.Errors(data)].map((error) => `${error.instancePath || '/'} ${error.message}`);
  throw new InvalidPayloadError(`queue payload is not { jobId }: ${problems.join('; ')}`);
}
