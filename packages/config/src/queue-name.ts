// The default BullMQ queue name, derived from the database, so that two deployments sharing one Redis never
// share a queue (a worker would otherwise take the other's job ids). Every process of one deployment reads
// the same DATABASE_URL, so the API, the workers and the reconciler agree without any setting.
import { createHash } from 'node:crypto';

export const QUEUE_NAME_PREFIX = 'trainyard-jobs';

/** Loopback spellings count as one host: an API on `localhost` and a worker on `127.0.0.1` share a database. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
const POSTGRES_PORT = '5432';

/**
 * `trainyard-jobs-<database>-<10 hex digits>`: the digits hash the host, port, database and schema of the
 * URL (not the user, password or other parameters), so the same database always gives the same name.
 */
export function defaultQueueName(databaseUrl: string, schemaFromEnv?: string): string {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return QUEUE_NAME_PREFIX; // loadConfig reports the bad DATABASE_URL
  }
  const hostname = url.hostname.toLowerCase() || url.searchParams.get('host') || 'localhost';
  const host = LOOPBACK.has(hostname) ? 'localhost' : hostname;
  const port = url.port || POSTGRES_PORT;
  const database = decodeURIComponent(url.pathname.slice(1)) || decodeURIComponent(url.username) || 'postgres';
  const schema = url.searchParams.get('schema') || schemaFromEnv || 'public';
  const digest = createHash('sha256').update(`${host}:${port}/${database}/${schema}`).digest('hex').slice(0, 10);
  const readable = schema === 'public' ? database : `${database}.${schema}`;
  // BullMQ forbids ':' in queue names; Redis keys are happiest with plain characters.
  return `${QUEUE_NAME_PREFIX}-${readable.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 40)}-${digest}`;
}
