// What can be told about a webhook URL without connecting: its scheme, and an address written into it.
import { isIP } from 'node:net';
import { ALLOWANCE_HINT, type AddressPolicy } from './address-policy.ts';

/** The URL, or why it cannot be delivered to. */
export function parseHttpUrl(text: string): URL | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `not a valid URL: ${text.length <= 200 ? text : `${text.slice(0, 199)}…`}`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `only http and https URLs are delivered to, got ${url.protocol}`;
  return url;
}

/** Why a URL whose host is an IP literal (never looked up, so never seen by guardedLookup) may not be sent to; null for names. */
export function literalAddressRefusal(url: URL, policy: AddressPolicy): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) === 0) return null;
  const reason = policy.refusal(host);
  return reason === null ? null : `${host} is ${reason}`;
}

/**
 * Why a webhook URL cannot be accepted (for the API, at submit time), or null: not http(s), its host an
 * address the policy refuses, or a name that is loopback by definition (`localhost`, `*.localhost`, RFC 6761).
 * Other names are judged at delivery, on the addresses they resolve to.
 */
export function webhookUrlRefusal(text: string, policy: AddressPolicy): string | null {
  const url = parseHttpUrl(text);
  if (typeof url === 'string') return url;
  const refusal = literalAddressRefusal(url, policy) ?? loopbackNameRefusal(url.hostname, policy);
  return refusal === null ? null : `${refusal}; ${ALLOWANCE_HINT}`;
}

function loopbackNameRefusal(hostname: string, policy: AddressPolicy): string | null {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (name !== 'localhost' && !name.endsWith('.localhost')) return null;
  const reason = policy.refusal('127.0.0.1');
  return reason !== null && policy.refusal('::1') !== null ? `${hostname} is ${reason}` : null;
}
