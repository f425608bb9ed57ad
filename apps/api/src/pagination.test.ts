import { describe, expect, it } from 'vitest';
import { ApiError } from '@trainyard/contracts';
import { decodeRowCursor, encodeRowCursor, pageSize, toPage } from './pagination.ts';

describe('pagination', () => {
  it('round-trips a row cursor', () => {
    const row = { createdAt: new Date('2025-01-02T03:04:05.678Z'), id: 'job_abc' };
    expect(decodeRowCursor(encodeRowCursor(row))).toEqual({ at: row.createdAt, id: 'job_abc' });
  });

  it('refuses cursors it did not make with a 400', () => {
    for (const bad of ['not-base64!', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('["x","y"]').toString('base64url')]) {
      expect(() => decodeRowCursor(bad)).toThrow(ApiError);
      try {
        decodeRowCursor(bad);
      } catch (error) {
        expect((error as ApiError).status).toBe(400);
      }
    }
  });

  it('makes a page from limit + 1 rows', () => {
    const rows = [1, 2, 3].map((n) => ({ n }));
    expect(toPage(rows, 2, (r) => r.n, (r) => `c${r.n}`)).toEqual({ data: [1, 2], hasMore: true, nextCursor: 'c2' });
    expect(toPage(rows, 3, (r) => r.n, (r) => `c${r.n}`)).toEqual({ data: [1, 2, 3], hasMore: false, nextCursor: null });
  });

  it('caps the page size', () => {
    expect(pageSize(undefined, { pageSizeDefault: 20, pageSizeMax: 100 })).toBe(20);
    expect(pageSize(500, { pageSizeDefault: 20, pageSizeMax: 100 })).toBe(100);
  });
});
