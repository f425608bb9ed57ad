// A real worker process (`node --import tsx apps/worker/src/main.ts`), as `npm run start:worker` runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = 'apps/worker/src/main.ts';
/** Lines of output kept for the failure message of a test. */
const KEPT_LINES = 200;

export interface LogLine {
  level?: number;
  msg?: string;
  jobId?: string;
  [key: string]: unknown;
}

export class WorkerProcess {
  readonly child: ChildProcess;
  readonly lines: LogLine[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly waiters: { test: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  private raw = '';

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      cwd: REPO_ROOT,
      // One job at a time unless a suite asks for more (the default is one per core): scenarios count on it.
      env: { ...process.env, LOG_LEVEL: 'info', WORKER_CONCURRENCY: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => this.read(chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => this.keep({ msg: `stderr: ${chunk.trimEnd()}` }));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Resolves with the first log line (past or future) that passes the test; fails after `limitMs`. */
  waitForLog(test: (line: LogLine) => boolean, limitMs = 120_000): Promise<LogLine> {
    const seen = this.lines.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no such log line within ${limitMs} ms\n${this.tail()}`)), limitMs);
      this.waiters.push({ test, resolve: (line) => { clearTimeout(timer); resolve(line); } });
      void this.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`worker exited (code ${code}, signal ${signal}) while a test waited for a log line\n${this.tail()}`));
      });
    });
  }

  ready(): Promise<LogLine> {
    return this.waitForLog((line) => line.msg === 'worker ready');
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  /** SIGKILL unless already gone; for afterEach. */
  async stop(): Promise<void> {
    this.kill('SIGKILL');
    await this.exited;
  }

  tail(lines = 40): string {
    return this.lines.slice(-lines).map((line) => JSON.stringify(line)).join('\n');
  }

  private read(chunk: string): void {
    this.raw += chunk;
    let newline: number;
    while ((newline = this.raw.indexOf('\n')) >= 0) {
      const text = this.raw.slice(0, newline);
      this.raw = this.raw.slice(newline + 1);
      try {
        this.keep(JSON.parse(text) as LogLine);
      } catch {
        this.keep({ msg: text });
      }
    }
  }

  private keep(line: LogLine): void {
    this.lines.push(line);
    if (this.lines.length > KEPT_LINES) this.lines.shift();
    for (const waiter of [...this.waiters]) {
      if (waiter.test(line)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  }
}
