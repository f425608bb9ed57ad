// Datasets as their readers need them: typed columns (or the matrix of a built-in or an older upload) and
// what the dataset resource says about them, never the upload's original bytes.
import { decodeDatasetArrays, isBuiltinId, loadBuiltin } from '@trainyard/backprop';
import type { ColumnType, DatasetSource, StoredColumn, TableMeta } from '@trainyard/tabular';
import type { Prisma, PrismaClient } from './generated/prisma/client.ts';

type Reader = Pick<PrismaClient, 'dataset' | 'datasetColumn'> | Prisma.TransactionClient;

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
  const columns = await prisma.datasetColumn.findMany({ where: { datasetId }, orderBy: { position: 'asc' } });
  return {
    kind: 'columns', meta, rows: row.rows,
    columns: columns.map((c): StoredColumn => ({
      name: c.name, type: c.type as ColumnType, data: c.data, dictionary: (c.dictionary as string[] | null) ?? null,
    })),
  };
}

/** Stores a dataset's typed columns, in file order. */
export async function writeDatasetColumns(tx: Prisma.TransactionClient, datasetId: string, columns: StoredColumn[]): Promise<void> {
  await tx.datasetColumn.createMany({
    data: columns.map((column, position) => ({
      datasetId, position, name: column.name, type: column.type,
      data: new Uint8Array(column.data.buffer as ArrayBuffer, column.data.byteOffset, column.data.byteLength),
      ...(column.dictionary === null ? {} : { dictionary: column.dictionary }),
    })),
  });
}
