// Datasets as their readers need them: typed columns (or the matrix of a built-in or an older upload) and
// what the dataset resource says about them, never the upload's original bytes.
import { decodeDatasetArrays, isBuiltinId, loadBuiltin } from '@trainyard/backprop';
import type { ColumnType, DatasetSource, StoredColumn, TableMeta } from '@trainyard/tabular';
import type { Prisma, PrismaClient } from './generated/prisma/client.ts';

type Reader = Pick<PrismaClient, 'dataset' | 'datasetColumn' | 'datasetColumnChunk'> | Prisma.TransactionClient;

/** Bytes of one stored chunk by default: 8 MiB (1,048,576 float64 values or 2,097,152 int32 codes). */
export const DATASET_CHUNK_BYTES = 8 * 1024 * 1024;

/** Bytes one row takes in a column of this type: float64 for number and datetime, int32 codes otherwise. */
export function columnValueBytes(type: string): number {
  return type === 'number' || type === 'datetime' ? 8 : 4;
}

/** A built-in (any tenant) or the tenant's upload; null when there is none (another tenant's included). */
export async function readDatasetSource(prisma: Reader, tenantId: string, datasetId: string): Promise<DatasetSource | null> {
  if (isBuiltinId(datasetId)) return { kind: 'matrix', data: loadBuiltin(datasetId) };
  const row = await prisma.dataset.findFirst({
    where: { id: datasetId, tenantId },
    select: { task: true, target: true, features: true, classes: true, rows: true, x: true, y: true, profile: true },
  });
  if (row === null) return null;
  const meta: TableMeta = { task: row.task as TableMeta['task'], target: row.target, features: row.features as string[] };
  if (Array.isArray(row.classes)) meta.classes = row.classes as string[];
  if (row.x !== null && row.y !== null) {
    return { kind: 'matrix', data: decodeDatasetArrays({ ...meta, rows: row.rows }, row.x, row.y) };
  }
  const columns = await prisma.datasetColumn.findMany({
    where: { datasetId }, orderBy: { position: 'asc' },
    select: { position: true, name: true, type: true, dictionary: true, data: true },
  });
  const stored: StoredColumn[] = [];
  for (const c of columns) {
    stored.push({
      name: c.name, type: c.type as ColumnType, dictionary: (c.dictionary as string[] | null) ?? null,
      // A column stored before chunks is its own single chunk.
      data: c.data ?? await readColumnChunks(prisma, datasetId, c.position, row.rows * columnValueBytes(c.type)),
    });
  }
  return { kind: 'columns', meta, rows: row.rows, columns: stored };
}

/**
 * One column's chunks, read a few at a time in order, into one array of `byteLength` bytes: the reader never
 * holds more than the column plus a few chunks.
 */
async function readColumnChunks(prisma: Reader, datasetId: string, position: number, byteLength: number): Promise<Uint8Array> {
  const out = new Uint8Array(byteLength);
  let offset = 0;
  let next = 0;
  for (;;) {
    const chunks = await prisma.datasetColumnChunk.findMany({
      where: { datasetId, position, chunk: { gte: next } }, orderBy: { chunk: 'asc' }, take: 4,
      select: { chunk: true, data: true },
    });
    for (const chunk of chunks) {
      if (chunk.chunk !== next || offset + chunk.data.byteLength > byteLength) {
        throw new Error(`dataset ${datasetId} column ${position}: chunk ${chunk.chunk} is missing or too long`);
      }
      out.set(chunk.data, offset);
      offset += chunk.data.byteLength;
      next++;
    }
    if (chunks.length < 4) break;
  }
  if (offset !== byteLength) throw new Error(`dataset ${datasetId} column ${position}: ${offset} bytes stored for ${byteLength}`);
  return out;
}

/**
 * Stores a dataset's typed columns, in file order, each as chunks of at most `chunkBytes` bytes (a whole number
 * of rows), written a few chunks per statement.
 */
export async function writeDatasetColumns(
  tx: Prisma.TransactionClient,
  datasetId: string,
  columns: StoredColumn[],
  { chunkBytes = DATASET_CHUNK_BYTES }: { chunkBytes?: number } = {},
): Promise<void> {
  await tx.datasetColumn.createMany({
    data: columns.map((column, position) => ({
      datasetId, position, name: column.name, type: column.type,
      ...(column.dictionary === null ? {} : { dictionary: column.dictionary }),
    })),
  });
  for (const [position, column] of columns.entries()) {
    const width = columnValueBytes(column.type);
    const step = Math.max(1, Math.floor(chunkBytes / width)) * width;
    const batch: Prisma.DatasetColumnChunkCreateManyInput[] = [];
    let batchBytes = 0;
    const flush = async () => {
      if (batch.length > 0) await tx.datasetColumnChunk.createMany({ data: batch.splice(0) });
      batchBytes = 0;
    };
    for (let start = 0, chunk = 0; start < column.data.byteLength; start += step, chunk++) {
      const data = column.data.subarray(start, Math.min(start + step, column.data.byteLength));
      batch.push({
        datasetId, position, chunk, rows: data.byteLength / width,
        data: new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength),
      });
      batchBytes += data.byteLength;
      if (batchBytes >= 4 * chunkBytes) await flush();
    }
    await flush();
  }
}
