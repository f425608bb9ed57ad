// `npm run db:migrate`: applies pending migrations to DATABASE_URL (schema from `?schema=` or DATABASE_SCHEMA).
import { migrate } from './migrate.ts';

try {
  const { applied } = await migrate({ log: (line) => console.log(line) });
  console.log(applied.length ? `applied ${applied.length} migration(s)` : 'database schema is up to date');
} catch (error) {
  console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
