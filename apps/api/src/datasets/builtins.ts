import { createHash } from 'node:crypto';
import { BUILTIN_DATASETS, encodeDatasetArrays, loadBuiltin } from '@trainyard/backprop';
import type { DatasetResponse } from '@trainyard/contracts';

/** Built-ins have no upload time; a fixed date keeps their order and answers stable. */
const BUILTIN_CREATED_AT = '2025-01-01T00:00:00.000Z';

export type BuiltinDataset = (typeof BUILTIN_DATASETS)[number];

export function findBuiltin(id: string): BuiltinDataset | undefined {
  return BUILTIN_DATASETS.find((dataset) => dataset.id === id);
}

export function isBuiltinId(id: string): boolean {
  return id.startsWith('builtin:');
}

/** Size and digest of the numeric arrays (what a job trains on), computed once per process. */
const fingerprints = new Map<string, { sizeBytes: number; sha256: string }>();

export function fingerprint(dataset: BuiltinDataset): { sizeBytes: number; sha256: string } {
  let known = fingerprints.get(dataset.id);
  if (known === undefined) {
    const { x, y } = encodeDatasetArrays(loadBuiltin(dataset.name));
    known = { sizeBytes: x.byteLength + y.byteLength, sha256: createHash('sha256').update(x).update(y).digest('hex') };
    fingerprints.set(dataset.id, known);
  }
  return known;
}

/** Computes the built-ins' digests up front (half a second for mnist), so no request waits for them. */
export function warmBuiltinFingerprints(): void {
  for (const dataset of BUILTIN_DATASETS) fingerprint(dataset);
}

export function presentBuiltin(dataset: BuiltinDataset): DatasetResponse {
  return {
    id: dataset.id,
    name: dataset.name,
    task: dataset.task,
    rows: dataset.rows,
    features: [...dataset.features],
    target: dataset.target,
    ...(dataset.classes ? { classes: [...dataset.classes] } : {}),
    ...fingerprint(dataset),
    createdAt: BUILTIN_CREATED_AT,
    builtin: true,
    description: dataset.description,
  };
}
