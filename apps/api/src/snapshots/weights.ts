import { decodeSafetensors, type SavedModel } from '@trainyard/backprop';
import { ApiError } from '@trainyard/contracts';
import type { PrismaClient } from '@trainyard/db';

export interface StoredWeights {
  id: string;
  jobId: string | null;
  kind: string;
  weights: Uint8Array;
}

/** One of the tenant's snapshots with its safetensors bytes (optionally of one job); 404 otherwise. */
export async function loadWeights(prisma: PrismaClient, tenantId: string, snapshotId: string, jobId?: string): Promise<StoredWeights> {
  const snapshot = await prisma.snapshot.findFirst({
    where: { id: snapshotId, tenantId, ...(jobId === undefined ? {} : { jobId }) },
    select: { id: true, jobId: true, kind: true, weights: true },
  });
  if (snapshot === null) throw new ApiError('not_found', `no snapshot ${snapshotId}${jobId === undefined ? '' : ` of job ${jobId}`}`);
  return snapshot;
}

/** Stored weights were written by our worker or checked at upload: failing to read them is our fault (500). */
export function decodeStored(snapshot: StoredWeights): SavedModel {
  try {
    return decodeSafetensors(snapshot.weights);
  } catch (error) {
    throw new Error(`stored snapshot ${snapshot.id} cannot be decoded: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Decoded models by snapshot id, for predict. Periodic, final and uploaded snapshots never change once
 * written; a job's `best` row is rewritten as training improves, so it is never cached.
 */
export class ModelCache {
  private readonly models = new Map<string, SavedModel>();

  constructor(private readonly capacity = 32) {}

  async get(id: string, kind: string, load: () => Promise<StoredWeights>): Promise<SavedModel> {
    const cached = this.models.get(id);
    if (cached !== undefined) return cached;
    const model = decodeStored(await load());
    if (kind !== 'best') {
      if (this.models.size >= this.capacity) this.models.delete(this.models.keys().next().value!);
      this.models.set(id, model);
    }
    return model;
  }
}
