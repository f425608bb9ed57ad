import { ApiError } from '@trainyard/contracts';
import type { PrismaClient } from '@trainyard/db';

/**
 * Deletes an upload unless a queued or running job uses it. The row lock orders this against job
 * submission (which takes a share lock on the dataset while it inserts the job), so no job can be
 * accepted for a dataset that is being deleted.
 */
export async function deleteDataset(prisma: PrismaClient, tenantId: string, id: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM datasets WHERE id = ${id} AND "tenantId" = ${tenantId} FOR UPDATE`;
    if (locked.length === 0) throw new ApiError('not_found', `no dataset ${id}`);
    const user = await tx.job.findFirst({
      where: { tenantId, datasetId: id, status: { in: ['queued', 'running'] } },
      select: { id: true, status: true },
    });
    if (user !== null) throw new ApiError('conflict', `dataset ${id} is used by ${user.status} job ${user.id}; cancel it or wait for it to end`);
    await tx.dataset.delete({ where: { id } });
  });
}
