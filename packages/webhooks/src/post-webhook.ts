// One delivery attempt: a signed JSON POST, bounded in time. It reports; the caller decides about retries.
// Sent with node:http(s) so that the connection's address is checked where it is resolved (guardedLookup);
// an IP literal in the URL is never looked up, so it is checked here. Redirects are never followed.
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { ALLOWANCE_HINT, AddressPolicy } from './address-policy.ts';
import { guardedLookup, RefusedAddressError, type Resolver } from './guarded-lookup.ts';
import { literalAddressRefusal, parseHttpUrl } from './target-url.ts';
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
  /** Which addresses may be connected to; default: public ones only. */
  policy?: AddressPolicy;
  /** The resolver under the address check; default dns.lookup (tests give names their own addresses). */
  resolve?: Resolver;
}

export type AttemptOutcome =
  | { ok: true; status: number }
  /** `retryable: false` when trying again cannot help (a URL that is not http or https, an address refused). */
  | { ok: false; retryable: boolean; error: string };

const PUBLIC_ONLY = new AddressPolicy();

export async function postWebhook(request: WebhookRequest): Promise<AttemptOutcome> {
  const url = parseHttpUrl(request.url);
  if (typeof url === 'string') return { ok: false, retryable: false, error: url };
  const policy = request.policy ?? PUBLIC_ONLY;
  const literal = literalAddressRefusal(url, policy);
  if (literal !== null) return { ok: false, retryable: false, error: clip(`refused: ${literal}; ${ALLOWANCE_HINT}`) };
  const timestamp = Math.floor(Date.now() / 1000);
  const headers: OutgoingHttpHeaders = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(request.body),
    'user-agent': USER_AGENT,
    [SIGNATURE_HEADER]: signWebhook(request.secret, request.body, timestamp),
    'Trainyard-Event': request.event,
    'Trainyard-Delivery': request.deliveryId,
  };
  try {
    const { status, statusText } = await send(url, headers, request.body, guardedLookup(policy, request.resolve), request.timeoutMs);
    if (status >= 200 && status < 300) return { ok: true, status };
    // A redirect could lead anywhere, inside the network too; receivers must give the final URL.
    const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
    return { ok: false, retryable: true, error: clip(`HTTP ${status}${statusText ? ` ${statusText}` : ''}${redirect}`) };
  } catch (error) {
    if (error instanceof RefusedAddressError) return { ok: false, retryable: false, error: clip(`refused: ${error.message}`) };
    return { ok: false, retryable: true, error: clip(describeSendError(error, request.timeoutMs)) };
  }
}

class TimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

/** POSTs and resolves at the response's status line; the body is not read. Rejects past timeoutMs. */
function send(url: URL, headers: OutgoingHttpHeaders, body: string, lookup: LookupFunction, timeoutMs: number): Promise<{ status: number; statusText: string }> {
  return new Promise((resolve, reject) => {
    // A fresh connection each time (agent: false): nothing pooled outlives the check of its address.
    const outgoing = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: 'POST', headers, lookup, agent: false });
    const timer = setTimeout(() => outgoing.destroy(new TimeoutError(timeoutMs)), timeoutMs);
    timer.unref();
    outgoing.once('response', (response) => {
      clearTimeout(timer);
      // The answer's body is not needed; dropping the connection frees it whatever the receiver sends.
      response.destroy();
      resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '' });
    });
    outgoing.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    outgoing.end(body);
  });
}

function describeSendError(error: unknown, timeoutMs: number): string {
  if (error instanceof TimeoutError) return `timed out after ${timeoutMs} ms`;
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return `network error: ${code && !message.includes(code) ? `${message} (${code})` : message}`;
}

function clip(text: string, max = MAX_ERROR_LENGTH): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
