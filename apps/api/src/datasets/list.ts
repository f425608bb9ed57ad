import { BUILTIN_DATASETS } from '@trainyard/backprop';
import { ApiError, type DatasetResponse, type ListQuery } from '@trainyard/contracts';
import type { PrismaClient } from '@trainyard/db';
import { presentBuiltin } from './builtins.ts';
import { DATASET_SUMMARY, presentDataset } from './store.ts';
import { afterRow, decodeCursor, encodeCursor, NEWEST_FIRST, pageSize, type Page } from '../pagination.ts';

/**
 * Built-ins first (in their fixed order), then the tenant's uploads newest first. A cursor is
 * ['b', index] inside the built-ins or ['r', createdAtMs, id] inside the uploads.
 */
export async function listDatasets(
  prisma: PrismaClient,
  tenantId: string,
  query: ListQuery,
  sizes: { pageSizeDefault: number; pageSizeMax: number },
): Promise<Page<DatasetResponse>> {
  const limit = pageSize(query.limit, sizes);
  const position = query.after === undefined ? null : parsePosition(query.after);
  const data: DatasetResponse[] = [];
  const cursors: string[] = [];

  if (position === null || position.kind === 'builtin') {
    const start = position === null ? 0 : position.index + 1;
    BUILTIN_DATASETS.slice(start, start + limit + 1).forEach((dataset, offset) => {
      data.push(presentBuiltin(dataset));
      cursors.push(encodeCursor(['b', start + offset]));
    });
  }
  if (data.length <= limit) {
    const rows = await prisma.dataset.findMany({
      where: { tenantId, ...afterRow(position?.kind === 'row' ? position : undefined) },
      orderBy: NEWEST_FIRST,
      take: limit + 1 - data.length,
      select: DATASET_SUMMARY,
    });
    for (const row of rows) {
      data.push(presentDataset(row));
      cursors.push(encodeCursor(['r', row.createdAt.getTime(), row.id]));
    }
  }
  const hasMore = data.length > limit;
  return { data: data.slice(0, limit), hasMore, nextCursor: hasMore ? cursors[limit - 1] : null };
}

type Position = { kind: 'builtin'; index: number } | { kind: 'row'; at: Date; id: string };

function parsePosition(cursor: string): Position {
  const parts = decodeCursor(cursor);
  if (parts[0] === 'b' && Number.isSafeInteger(parts[1]) && parts.length === 2) return { kind: 'builtin', index: parts[1] as number };
  if (parts[0] === 'r' && Number.isSafeInteger(parts[1]) && typeof parts[2] === 'string' && parts.length === 3) {
    return { kind: 'row', at: new Date(parts[1] as number), id: parts[2] };
  }
  throw new ApiError('bad_request', 'invalid cursor', [{ path: 'query.after', message: 'is not a cursor this list produced' }]);
}
