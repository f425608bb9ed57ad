import type { SpecIssue } from './validate.ts';

/** Codes: 'invalid_spec' | 'shape_mismatch' | 'diverged' | 'bad_state'. */
export class TrainingError extends Error {
  constructor(
    readonly code: 'invalid_spec' | 'shape_mismatch' | 'diverged' | 'bad_state',
    message: string,
    readonly details?: SpecIssue[],
  ) {
    super(message);
    this.name = 'TrainingError';
  }
}
