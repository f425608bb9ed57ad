// `npm start`: the whole service on one machine — checks that PostgreSQL and Redis answer, builds what is
// missing, applies migrations, runs the API and one worker as child processes, and says when it is ready
// and which kernel backend training uses (and how to get a faster one).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildMissing } from './build-missing.ts';
import { formatEngine, type EngineStatus } from './engine-line.ts';
import { checkServices, ensureDatabase, formatProblems, redact } from './services.ts';

const LOCAL_BOOTSTRAP_KEY = 'ty_local_development_key';
const SHUTDOWN_GRACE_MS = 15_000;
const READY_LIMIT_MS = 120_000;
const READY_POLL_MS = 250;
const root = fileURLToPath(new URL('..', import.meta.url));

const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/trainyard',
  REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  PORT: process.env.PORT || '3000',
  TRAINYARD_BOOTSTRAP_KEY: process.env.TRAINYARD_BOOTSTRAP_KEY || LOCAL_BOOTSTRAP_KEY,
};

/** A problem the user can act on: printed as it is, no stack trace, exit 1. */
class StartError extends Error {}

function start(name: string, entry: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping the service`);
      void stop(1);
    }
  });
  return child;
}

let stopping = false;
const children: ChildProcess[] = [];

async function stop(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const exited = children.map((child) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve())),
  );
  for (const child of children) child.kill('SIGTERM');
  const timer = setTimeout(() => children.forEach((child) => child.kill('SIGKILL')), SHUTDOWN_GRACE_MS);
  await Promise.all(exited);
  clearTimeout(timer);
  process.exit(exitCode);
}

/** The engine part of /readyz once the API answers it, or null when it did not within the limit. */
async function waitUntilReady(url: string): Promise<EngineStatus | null> {
  const deadline = Date.now() + READY_LIMIT_MS;
  while (Date.now() < deadline && !stopping) {
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return ((await response.json()) as { engine: EngineStatus }).engine;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  return null;
}

async function main(): Promise<void> {
  const problems = await checkServices(env.DATABASE_URL!, env.REDIS_URL!);
  if (problems.length > 0) throw new StartError(formatProblems(problems));
  buildMissing();
  if (await ensureDatabase(env.DATABASE_URL!)) console.log(`created database ${redact(env.DATABASE_URL!)}`);
  // Imported only now: @trainyard/db needs the Prisma client that buildMissing may just have generated.
  const { migrate } = await import('@trainyard/db');
  const { applied } = await migrate({ url: env.DATABASE_URL });
  console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');
  children.push(start('api', 'apps/api/src/main.ts'), start('worker', 'apps/worker/src/main.ts'));
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const url = `http://127.0.0.1:${env.PORT}`;
  const engine = await waitUntilReady(url);
  if (stopping) return;
  if (engine === null) {
    console.error(`\nthe API did not answer ${url}/readyz within ${READY_LIMIT_MS / 1000} s; see its log above`);
    return;
  }
  console.log(
    `\nTrainyard is ready on ${url} (dashboard at /, API docs at /docs)\n` +
      `  authenticate with: Authorization: Bearer ${env.TRAINYARD_BOOTSTRAP_KEY}\n` +
      `${formatEngine(engine)}\n`,
  );
}

try {
  await main();
} catch (error) {
  const message = error instanceof StartError ? error.message : `npm start failed: ${(error as Error)?.message ?? error}`;
  console.error(`\n${message}\n`);
  if (children.length > 0) await stop(1);
  process.exit(1);
}
