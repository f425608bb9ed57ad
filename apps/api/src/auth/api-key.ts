import { createHash, randomInt } from 'node:crypto';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const KEY_LENGTH = 32;
/** Characters of a key kept in clear (ApiKey.prefix) so people can tell their keys apart. */
const VISIBLE_PREFIX = 7;

/** A new API key: `ty_` + 32 random base62 characters (≈190 bits). Shown once, stored only as its hash. */
export function generateApiKey(): string {
  let key = 'ty_';
  for (let i = 0; i < KEY_LENGTH; i++) key += BASE62[randomInt(BASE62.length)];
  return key;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function keyPrefix(key: string): string {
  return key.slice(0, VISIBLE_PREFIX);
}

/** `Bearer <key>`: the key is 8–256 visible ASCII characters (bootstrap keys need not look like generated ones). */
const BEARER = /^Bearer ([\x21-\x7e]{8,256})$/;

/** The key in an Authorization header, or null when the header is not a well-formed bearer credential. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  return BEARER.exec(header.trim())?.[1] ?? null;
}
