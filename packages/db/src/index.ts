export { createPrisma, DEFAULT_POOL_SIZE, type CreatePrismaOptions } from './client.ts';
export { resolveConnection, DEFAULT_DATABASE_URL, type ConnectionOptions } from './connection.ts';
export { migrate, type MigrateOptions } from './migrate.ts';
export { MigrationError, type MigrationErrorCode } from './migration-error.ts';
export { createTestDatabase, TEST_DATABASE_URL, type TestDatabase, type TestDatabaseOptions } from './test-database.ts';
export {
  JOB_TRANSITIONS, TERMINAL_STATUSES, allowedFrom, isTerminal, transitionJob, type JobTransitionData,
} from './job-transitions.ts';
export { JOB_VIEW_COLUMNS, jobProgress, type JobProgress } from './job-view.ts';
export { PrismaClient, Prisma, JobStatus, SnapshotKind } from './generated/prisma/client.ts';
export type {
  Tenant, ApiKey, Dataset, DatasetColumn, Evaluation, Job, MetricPoint, Snapshot, Checkpoint, JobEvent, IdempotencyRecord, WebhookDelivery,
} from './generated/prisma/client.ts';
export { DATASET_CHUNK_BYTES, columnValueBytes, readDatasetSource, writeDatasetColumns } from './dataset-source.ts';
export { topUpSweep, markSweepRunning, type StoredTrial, type TopUp } from './sweep-top-up.ts';
export { decideRung } from './sweep-rungs.ts';
