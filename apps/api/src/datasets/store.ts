import { createHash } from 'node:crypto';
import { encodeDatasetArrays, type Dataset } from '@trainyard/backprop';
import { newId, type DatasetResponse } from '@trainyard/contracts';
import type { Prisma } from '@trainyard/db';
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
  };
}

/** Parsed numbers (x, y as float32 LE), the upload as received, and its digest. */
export async function insertDataset(
  tx: Prisma.TransactionClient,
  tenantId: string,
  upload: DatasetUpload,
  dataset: Dataset,
): Promise<DatasetSummary> {
  const { x, y } = encodeDatasetArrays(dataset);
  return tx.dataset.create({
    data: {
      id: newId('dataset'),
      tenantId,
      name: upload.name,
      task: dataset.task,
      target: dataset.target,
      features: dataset.features,
      ...(dataset.classes ? { classes: dataset.classes } : {}),
      rows: dataset.rows,
      sizeBytes: upload.original.length,
      sha256: createHash('sha256').update(upload.original).digest('hex'),
      format: upload.format,
      x: bytes(x),
      y: bytes(y),
      original: bytes(upload.original),
    },
    select: DATASET_SUMMARY,
  });
}

/** Prisma wants a Uint8Array over a plain ArrayBuffer. */
function bytes(view: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(view.buffer as ArrayBuffer, view.byteOffset, view.byteLength);
}
