import { ApiError } from '@trainyard/contracts';

/** A position in a list ordered newest first by (createdAt, id). */
export interface RowCursor {
  at: Date;
  id: string;
}

export interface Page<T> {
  data: T[];
  hasMore: boolean;
  nextCursor: string | null;
}

/** Cursors are opaque to clients: base64url of a small JSON array. */
export function encodeCursor(parts: (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string): unknown[] {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts)) return parts;
  } catch {
    // answered below
  }
  throw new ApiError('bad_request', 'invalid cursor: pass the nextCursor of the previous page as ?after=', [
    { path: 'query.after', message: 'is not a cursor this list produced' },
  ]);
}

export function encodeRowCursor(row: { createdAt: Date; id: string }): string {
  return encodeCursor([row.createdAt.getTime(), row.id]);
}

export function decodeRowCursor(cursor: string): RowCursor {
  const [at, id, ...rest] = decodeCursor(cursor);
  if (typeof at !== 'number' || !Number.isSafeInteger(at) || typeof id !== 'string' || rest.length > 0) {
    throw new ApiError('bad_request', 'invalid cursor', [{ path: 'query.after', message: 'is not a cursor this list produced' }]);
  }
  return { at: new Date(at), id };
}

/** Prisma `where` for "strictly after this cursor" in (createdAt desc, id desc) order. */
export function afterRow(cursor: RowCursor | undefined) {
  if (cursor === undefined) return {};
  return { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] };
}

export const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

/** Rows fetched with `take: limit + 1` → one page. */
export function toPage<Row, Item>(rows: Row[], limit: number, present: (row: Row) => Item, cursorOf: (row: Row) => string): Page<Item> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  return {
    data: pageRows.map(present),
    hasMore,
    nextCursor: hasMore ? cursorOf(pageRows[pageRows.length - 1]) : null,
  };
}

export function pageSize(limit: number | undefined, defaults: { pageSizeDefault: number; pageSizeMax: number }): number {
  return Math.min(limit ?? defaults.pageSizeDefault, defaults.pageSizeMax);
}
