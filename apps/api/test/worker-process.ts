// A real worker process (apps/worker/src/main.ts) on a test API's database and queue, a real API process
// (apps/api/src/main.ts) likewise, and a body reader for binary answers.
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '@trainyard/queue/testing';
import { fileURLToPath } from 'node:url';
import type supertest from 'supertest';
import type { TestApi } from './harness.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface TestWorker {
  /** The last 20,000 characters the worker printed, for failure messages. */
  log(): string;
  /** SIGTERM, then SIGKILL after 15 s. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL at once, as a crash; resolves when the process is gone. */
  kill(): Promise<void>;
}

export interface WorkerOptions {
  /** Run the worker inside this network namespace (`ip netns exec <netns> node …`; needs root). */
  netns?: string;
  /** Every line the worker prints on stdout (its JSON log), whole. */
  onLine?: (line: string) => void;
  /** Another entry point than the worker's (startApiProcess: the API's). */
  entry?: string;
}

/** `env`: more environment for this worker (BACKPROP_BACKEND, BACKPROP_THREADS, TRAINYARD_* settings). */
export function startWorker(api: TestApi, env: Record<string, string> = {}, options: WorkerOptions = {}): TestWorker {
  let log = '';
  const args = ['--import', 'tsx', options.entry ?? 'apps/worker/src/main.ts'];
  // `ip netns exec` execs the command, so the child's pid is node's and a SIGKILL reaches the worker itself.
  const [command, argv] = options.netns === undefined ? [process.execPath, args] : ['ip', ['netns', 'exec', options.netns, process.execPath, ...args]];
  const worker: ChildProcess = spawn(command, argv, {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: api.db.url, REDIS_URL: api.config.redisUrl, TRAINYARD_QUEUE: api.config.queueName, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let partial = '';
  worker.stdout!.on('data', (chunk) => {
    log = (log + chunk).slice(-20_000);
    if (!options.onLine) return;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) options.onLine(line);
  });
  worker.stderr!.on('data', (chunk) => (log = (log + chunk).slice(-20_000)));
  return {
    log: () => log,
    async stop() {
      if (worker.exitCode !== null) return;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      worker.kill('SIGKILL');
    },
    async kill() {
      if (worker.exitCode !== null || worker.signalCode !== null) return;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.kill('SIGKILL');
      await exited;
    },
  };
}

/** The raw bytes of an answer (safetensors, ONNX). */
export const binary = (request: supertest.Test) =>
  request.buffer(true).parse((response, done) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => done(null, Buffer.concat(chunks)));
  });

export interface TestApiProcess extends TestWorker {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
}

/** A real API process (apps/api/src/main.ts) on a test API's database and queue; resolves once /healthz answers. */
export async function startApiProcess(api: TestApi, env: Record<string, string> = {}): Promise<TestApiProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // startWorker's process handling, on the API's entry point.
  const child = startWorker(api, { PORT: String(port), HOST: '127.0.0.1', ...env }, { entry: 'apps/api/src/main.ts' });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (await fetch(`${url}/healthz`).then((response) => response.ok, () => false)) return { ...child, url };
    if (Date.now() > deadline) {
      await child.kill();
      throw new Error(`the API process did not answer /healthz within 60 s\n${child.log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

