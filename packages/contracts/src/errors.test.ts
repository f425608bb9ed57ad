import { describe, expect, it } from 'vitest';
import { ApiError, ERRORS, isErrorCode } from './errors.ts';

describe('error catalogue', () => {
  it('gives every code an HTTP error status and a description', () => {
    for (const [code, entry] of Object.entries(ERRORS)) {
      expect(code).toMatch(/^[a-z_]+$/);
      expect(entry.status >= 400 && entry.status < 600, code).toBe(true);
      expect(entry.description.length, code).toBeGreaterThan(10);
    }
  });

  it('builds the contract error body with the catalogue status', () => {
    const error = new ApiError('invalid_spec', 'output units must equal classes', [{ path: 'model.layers[1].units', message: 'expected 3' }]);
    expect(error.status).toBe(422);
    expect(error.retryable).toBe(false);
    expect(error.toBody()).toEqual({
      error: { code: 'invalid_spec', message: 'output units must equal classes', details: [{ path: 'model.layers[1].units', message: 'expected 3' }] },
    });
    expect(new ApiError('not_found', 'no such job', []).toBody()).toEqual({ error: { code: 'not_found', message: 'no such job' } });
  });

  it('marks rate limiting retryable and knows its codes', () => {
    expect(new ApiError('rate_limited', 'slow down').retryable).toBe(true);
    expect(isErrorCode('rate_limited')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
  });
});
