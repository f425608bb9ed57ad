// One delivery attempt: a signed JSON POST, bounded in time. It reports; the caller decides about retries.
import { SIGNATURE_HEADER, signWebhook } from './signature.ts';
import { MAX_ERROR_LENGTH } from './settings.ts';

export const USER_AGENT = 'Trainyard-Webhooks/1';

export interface WebhookRequest {
  url: string;
  /** The exact bytes that are signed and sent. */
  body: string;
  secret: string;
  deliveryId: string;
  event: string;
  timeoutMs: number;
}

export type AttemptOutcome =
  | { ok: true; status: number }
  /** `retryable: false` when trying again cannot help (a URL that is not http or https). */
  | { ok: false; retryable: boolean; error: string };

export async function postWebhook(request: WebhookRequest): Promise<AttemptOutcome> {
  const url = parseHttpUrl(request.url);
  if (typeof url === 'string') return { ok: false, retryable: false, error: url };
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        [SIGNATURE_HEADER]: signWebhook(request.secret, request.body, timestamp),
        'Trainyard-Event': request.event,
        'Trainyard-Delivery': request.deliveryId,
      },
      body: request.body,
      // A redirect could lead anywhere; receivers must give the final URL.
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    // The answer's body is not needed; dropping it frees the connection.
    await response.body?.cancel().catch(() => {});
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    return { ok: false, retryable: true, error: clip(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`) };
  } catch (error) {
    return { ok: false, retryable: true, error: clip(describeFetchError(error, request.timeoutMs)) };
  }
}

/** The URL, or why it cannot be delivered to. */
function parseHttpUrl(text: string): URL | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `not a valid URL: ${clip(text, 200)}`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `only http and https URLs are delivered to, got ${url.protocol}`;
  return url;
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `timed out after ${timeoutMs} ms`;
  }
  // undici's "fetch failed" hides the reason (ECONNREFUSED, ENOTFOUND…) in `cause`.
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const detail = cause?.code ?? cause?.message;
  const message = error instanceof Error ? error.message : String(error);
  return `network error: ${detail ? `${message} (${detail})` : message}`;
}

function clip(text: string, max = MAX_ERROR_LENGTH): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
