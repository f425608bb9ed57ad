import type { ErrorDetail } from '@trainyard/contracts';

/** A non-2xx answer of the API, carrying the contract's `{ error: { code, message, details? } }`. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }

  /** Builds the error from a failed response, whatever its body turns out to be. */
  static async from(response: Response): Promise<ApiRequestError> {
    const text = await response.text().catch(() => '');
    try {
      const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
      if (body.error && typeof body.error.code === 'string') {
        const details = Array.isArray(body.error.details) ? (body.error.details as ErrorDetail[]) : [];
        return new ApiRequestError(response.status, body.error.code, String(body.error.message ?? body.error.code), details);
      }
    } catch {
      // not JSON: fall through
    }
    const excerpt = text.trim().slice(0, 200);
    return new ApiRequestError(response.status, `http_${response.status}`, `HTTP ${response.status} ${response.statusText}${excerpt ? `: ${excerpt}` : ''}`);
  }
}

/** The service could not be reached at all (refused, DNS, timeout). */
export class ConnectionError extends Error {
  constructor(url: string, cause: unknown) {
    super(`cannot reach ${url}: ${describeCause(cause)}`, { cause });
    this.name = 'ConnectionError';
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    if (cause.name === 'TimeoutError') return 'timed out';
    const inner = (cause as { cause?: { code?: string; message?: string } }).cause;
    return inner?.code ?? inner?.message ?? cause.message;
  }
  return String(cause);
}
