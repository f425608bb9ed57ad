// `npm start`: the whole service on one machine — migrations, the API and one worker, as child processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { migrate } from '@trainyard/db';

const LOCAL_BOOTSTRAP_KEY = 'ty_local_development_key';
const SHUTDOWN_GRACE_MS = 15_000;
const root = fileURLToPath(new URL('..', import.meta.url));

const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/trainyard',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  PORT: process.env.PORT ?? '3000',
  TRAINYARD_BOOTSTRAP_KEY: process.env.TRAINYARD_BOOTSTRAP_KEY ?? LOCAL_BOOTSTRAP_KEY,
};

/** A local start should not fail because the database has not been created yet. */
async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  admin.search = '';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      console.log(`created database ${name}`);
    }
  } finally {
    await client.end();
  }
}

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

await ensureDatabase(env.DATABASE_URL!);
const { applied } = await migrate({ url: env.DATABASE_URL });
console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');
children.push(start('api', 'apps/api/src/main.ts'), start('worker', 'apps/worker/src/main.ts'));
console.log(
  `\nTrainyard is starting on http://127.0.0.1:${env.PORT} (docs at /docs)\n` +
    `  authenticate with: Authorization: Bearer ${env.TRAINYARD_BOOTSTRAP_KEY}\n`,
);
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
