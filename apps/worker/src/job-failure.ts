// An error that ends a job as `failed` with a catalogue code. Not retried: the same job would fail again.
import type { ErrorCode, ErrorDetail } from '@trainyard/contracts';

export type JobErrorCode = Extract<ErrorCode, 'diverged' | 'invalid_spec' | 'dataset_missing' | 'bad_initial_weights' | 'backend_unavailable' | 'internal'>;

const JOB_ERROR_CODES: ReadonlySet<string> = new Set(['diverged', 'invalid_spec', 'dataset_missing', 'bad_initial_weights', 'backend_unavailable', 'internal']);

/** A code reported by the training thread, as a job error code (anything unknown is `internal`). */
export function asJobErrorCode(code: string): JobErrorCode {
  return JOB_ERROR_CODES.has(code) ? (code as JobErrorCode) : 'internal';
}

export class JobFailure extends Error {
  constructor(
    readonly code: JobErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'JobFailure';
  }
}

/** The worker lost its claim on the job (another worker resumed it): stop, write nothing more. */
export class LeaseLostError extends Error {
  constructor(readonly jobId: string) {
    super(`job ${jobId} is no longer held by this worker`);
    this.name = 'LeaseLostError';
  }
}
