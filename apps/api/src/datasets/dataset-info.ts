import type { PrismaClient } from '@trainyard/db';
import type { DatasetResponse } from '@trainyard/contracts';
import { findBuiltin, fingerprint } from './builtins.ts';

type Task = DatasetResponse['task'];

/** What a job needs to know about its dataset, without its bytes. */
export interface DatasetInfo {
  id: string;
  task: Task;
  features: string[];
  classes?: string[];
  rows: number;
  builtin: boolean;
  /** What a receipt names: the uploaded file's digest, or a built-in's arrays'. */
  sha256: string;
}

/** A built-in, or one of the tenant's uploads; null otherwise (another tenant's dataset included). */
export async function findDatasetInfo(prisma: PrismaClient, tenantId: string, id: string): Promise<DatasetInfo | null> {
  const builtin = findBuiltin(id);
  if (builtin !== undefined) {
    return {
      id,
      task: builtin.task,
      features: [...builtin.features],
      ...(builtin.classes ? { classes: [...builtin.classes] } : {}),
      rows: builtin.rows,
      builtin: true,
      sha256: fingerprint(builtin).sha256,
    };
  }
  const row = await prisma.dataset.findFirst({
    where: { id, tenantId },
    select: { id: true, task: true, features: true, classes: true, rows: true, sha256: true },
  });
  if (row === null) return null;
  return {
    id: row.id,
    task: row.task as Task,
    features: row.features as string[],
    ...(row.classes ? { classes: row.classes as string[] } : {}),
    rows: row.rows,
    builtin: false,
    sha256: row.sha256,
  };
}
