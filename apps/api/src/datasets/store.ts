import { createHash } from 'node:crypto';
import { newId, type DatasetResponse } from '@trainyard/contracts';
import { writeDatasetColumns, type Prisma } from '@trainyard/db';
import { encodeColumn, type TypedDataset } from '@trainyard/tabular';
import type { DatasetUpload } from './parse-upload.ts';

/** Dataset columns a response needs: never the blobs. */
export const DATASET_SUMMARY = {
  id: true,
  name: true,
  task: true,
  target: true,
  features: true,
  classes: true,
  rows: true,
  sizeBytes: true,
  sha256: true,
  createdAt: true,
  profile: true,
  rowsWithoutTarget: true,
} as const satisfies Prisma.DatasetSelect;

export type DatasetSummary = Prisma.DatasetGetPayload<{ select: typeof DATASET_SUMMARY }>;

export function presentDataset(row: DatasetSummary): DatasetResponse {
  return {
    id: row.id,
    name: row.name,
    task: row.task as DatasetResponse['task'],
    rows: row.rows,
    features: row.features as string[],
    target: row.target,
    ...(row.classes ? { classes: row.classes as string[] } : {}),
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    createdAt: row.createdAt.toISOString(),
    builtin: false,
    ...(row.profile ? { columns: row.profile as DatasetResponse['columns'] } : {}),
    rowsWithoutTarget: row.rowsWithoutTarget,
  };
}

/** The typed columns (each one record), the profile, the upload as received and its digest. */
export async function insertDataset(
  tx: Prisma.TransactionClient,
  tenantId: string,
  upload: DatasetUpload,
  { dataset, format }: { dataset: TypedDataset; format: string },
): Promise<DatasetSummary> {
  const id = newId('dataset');
  const row = await tx.dataset.create({
    data: {
      id,
      tenantId,
      name: upload.name,
      task: dataset.task,
      target: dataset.target,
      features: dataset.features,
      ...(dataset.classes ? { classes: dataset.classes } : {}),
      rows: dataset.table.rows,
      rowsWithoutTarget: dataset.rowsWithoutTarget,
      profile: dataset.profile as unknown as Prisma.InputJsonArray,
      sizeBytes: upload.original.length,
      sha256: createHash('sha256').update(upload.original).digest('hex'),
      format,
      original: bytes(upload.original),
    },
    select: DATASET_SUMMARY,
  });
  await writeDatasetColumns(tx, id, dataset.table.columns.map(encodeColumn));
  return row;
}

/** Prisma wants a Uint8Array over a plain ArrayBuffer. */
function bytes(view: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(view.buffer as ArrayBuffer, view.byteOffset, view.byteLength);
}
