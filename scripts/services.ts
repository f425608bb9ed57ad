// PostgreSQL and Redis, as `npm start` and `npm test` need them: does each answer, and if not, a message that
// says which, at which URL, and how to start it (never a stack trace). Also creates a missing database.
import pg from 'pg';
import { Redis } from 'ioredis';

const CONNECT_TIMEOUT_MS = 3_000;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1', '']);
/** Network-level failures: nothing answered. Anything else means something answered and refused. */
const NOT_ANSWERING = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** PostgreSQL's invalid_catalog_name: the server answers, the database is not there (yet). */
const NO_SUCH_DATABASE = '3D000';

export interface ServiceProblem {
  service: 'PostgreSQL' | 'Redis';
  /** The URL with its password hidden. */
  url: string;
  /** What went wrong, in one line. */
  reason: string;
  /** Lines telling what to do. */
  advice: string[];
}

/** null when the server answers (a missing database counts as answering: ensureDatabase creates it). */
export async function checkPostgres(url: string, platform = process.platform): Promise<ServiceProblem | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    if (errorCode(error) === NO_SUCH_DATABASE) return null;
    return problem('PostgreSQL', url, error, platform);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function checkRedis(url: string, platform = process.platform): Promise<ServiceProblem | null> {
  const redis = new Redis(url, {
    lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null,
  });
  // The connect promise only says "Connection is closed."; the socket's error says why.
  let socketError: unknown;
  redis.on('error', (error) => (socketError ??= error));
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return problem('Redis', url, (error as Error).name === 'ReplyError' ? error : socketError ?? error, platform);
  } finally {
    redis.disconnect();
  }
}

/** Both at once; the problems of those that do not answer. */
export async function checkServices(databaseUrl: string, redisUrl: string): Promise<ServiceProblem[]> {
  const results = await Promise.all([checkPostgres(databaseUrl), checkRedis(redisUrl)]);
  return results.filter((result): result is ServiceProblem => result !== null);
}

export function formatProblems(problems: ServiceProblem[]): string {
  return problems.map((p) => [`${p.service} ${p.reason}`, ...p.advice.map((line) => `  ${line}`)].join('\n')).join('\n\n');
}

function problem(service: ServiceProblem['service'], rawUrl: string, error: unknown, platform: NodeJS.Platform): ServiceProblem {
  const url = redact(rawUrl);
  const code = errorCode(error);
  const detail = errorMessage(error);
  const variable = service === 'PostgreSQL' ? 'DATABASE_URL' : 'REDIS_URL';
  const answered = (error as Error)?.name === 'ReplyError' || (code !== undefined && !NOT_ANSWERING.has(code));
  if (answered && !/timeout|timed out/i.test(detail)) {
    return { service, url, reason: `at ${url} answered but refused: ${detail}`, advice: [`Check the user, password and database in ${variable}.`] };
  }
  const host = hostOf(rawUrl);
  const advice = LOOPBACK.has(host)
    ? [...startCommands(service, platform), `or set ${variable} to a ${service} that runs.`]
    : [`Check that ${service} runs on ${host} and that this machine reaches it, or set ${variable} to one that does.`];
  return { service, url, reason: `does not answer at ${url} (${detail}).`, advice };
}

/** How to start the service on this machine, then with Docker. */
export function startCommands(service: ServiceProblem['service'], platform: NodeJS.Platform): string[] {
  const commands = service === 'PostgreSQL'
    ? {
        linux: 'sudo service postgresql start       (not installed: sudo apt-get install -y postgresql)',
        darwin: 'brew services start postgresql@16   (not installed: brew install postgresql@16)',
        docker: 'docker run -d --name trainyard-postgres -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:16',
      }
    : {
        linux: 'sudo service redis-server start     (not installed: sudo apt-get install -y redis-server)',
        darwin: 'brew services start redis          (not installed: brew install redis)',
        docker: 'docker run -d --name trainyard-redis -p 6379:6379 redis:7',
      };
  const local = platform === 'darwin' ? commands.darwin : platform === 'linux' ? commands.linux : null;
  return ['Start it:', ...(local ? [`  ${local}`] : []), `  ${commands.docker}`];
}

/** `npm start` and `npm test` should not fail because the database has not been created yet. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  maintenance.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => {});
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount !== 0) return false;
    try {
      await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    } catch (error) {
      if (!['42P04', '23505'].includes(errorCode(error) ?? '')) throw error; // created meanwhile by another process
      return false;
    }
    return true;
  } finally {
    await client.end().catch(() => {});
  }
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  // Node's AggregateError (IPv4 and IPv6 both refused) carries the code on its parts.
  const inner = (error as { errors?: unknown[] } | null)?.errors?.[0];
  return inner === undefined ? undefined : errorCode(inner);
}

function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message !== '') return message;
  const code = errorCode(error);
  return code ?? 'no answer';
}
