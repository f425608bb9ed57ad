// Why the migration runner refused or stopped; `code` is stable for callers and tests.
export type MigrationErrorCode =
  | 'checksum_mismatch' // an applied migration's file was edited afterwards
  | 'failed_migration' // the table records a migration that started and never finished
  | 'migration_failed' // a migration's SQL failed now; its transaction was rolled back
  | 'lock_timeout'; // another runner held the migration lock for too long

export class MigrationError extends Error {
  readonly code: MigrationErrorCode;
  readonly migration: string | undefined;

  constructor(code: MigrationErrorCode, message: string, migration?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
    this.code = code;
    this.migration = migration;
  }
}
