import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSignatureHeader, signWebhook, verifyWebhookSignature } from './signature.ts';

const SECRET = 'whsec_test_0123456789';
const BODY = '{"id":"7","event":"succeeded","job":{"id":"job_x","status":"succeeded"},"at":"2025-01-01T00:00:00.000Z"}';

/** The oracle: what the README tells receivers to compute, written out with nothing from the module. */
function referenceHmac(secret: string, message: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(message, 'utf8')).digest('hex');
}

describe('signWebhook', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 under the secret, as t=…,v1=…', () => {
    const header = signWebhook(SECRET, BODY, 1_735_689_600);
    expect(header).toBe(`t=1735689600,v1=${referenceHmac(SECRET, `1735689600.${BODY}`)}`);
  });

  it('signs non-ASCII bodies as UTF-8', () => {
    const body = '{"metadata":{"name":"Zoë ✓"}}';
    expect(signWebhook(SECRET, body, 10)).toBe(`t=10,v1=${referenceHmac(SECRET, `10.${body}`)}`);
  });

  it('refuses a timestamp that is not whole unix seconds', () => {
    expect(() => signWebhook(SECRET, BODY, 1.5)).toThrow(/unix seconds/);
    expect(() => signWebhook(SECRET, BODY, -1)).toThrow(/unix seconds/);
  });
});

describe('verifyWebhookSignature', () => {
  const t = 1_700_000_000;
  const header = signWebhook(SECRET, BODY, t);

  it('accepts its own signature within the tolerance', () => {
    expect(verifyWebhookSignature(SECRET, BODY, header, 300, t + 299)).toBe(true);
    expect(verifyWebhookSignature(SECRET, BODY, header, 300, t - 299)).toBe(true);
  });

  it('refuses a stale timestamp, a changed body, another secret and a tampered signature', () => {
    expect(verifyWebhookSignature(SECRET, BODY, header, 300, t + 301)).toBe(false);
    expect(verifyWebhookSignature(SECRET, `${BODY} `, header, 300, t)).toBe(false);
    expect(verifyWebhookSignature('another secret', BODY, header, 300, t)).toBe(false);
    const flipped = header.slice(0, -1) + (header.endsWith('0') ? '1' : '0');
    expect(verifyWebhookSignature(SECRET, BODY, flipped, 300, t)).toBe(false);
    // The timestamp is part of what is signed: moving it breaks the signature.
    expect(verifyWebhookSignature(SECRET, BODY, header.replace(`t=${t}`, `t=${t + 1}`), 300, t)).toBe(false);
  });

  it('accepts any matching v1 entry (secret rotation) and ignores unknown schemes', () => {
    const good = referenceHmac(SECRET, `${t}.${BODY}`);
    const other = referenceHmac('old secret', `${t}.${BODY}`);
    expect(verifyWebhookSignature(SECRET, BODY, `t=${t},v0=abc,v1=${other},v1=${good}`, 300, t)).toBe(true);
  });

  it('answers false, never throws, for malformed headers', () => {
    for (const bad of [undefined, null, '', 'garbage', 't=abc,v1=00', `v1=${'a'.repeat(64)}`, `t=${t}`, `t=${t},v1=XYZ`, 'x'.repeat(5000)]) {
      expect(verifyWebhookSignature(SECRET, BODY, bad, 300, t)).toBe(false);
    }
    expect(parseSignatureHeader(` t=${t} , v1=${'b'.repeat(64)} `)).toEqual({ timestamp: t, signatures: ['b'.repeat(64)] });
  });
});
