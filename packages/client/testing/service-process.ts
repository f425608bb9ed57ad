// One process of the service (API or worker) as `npm run start:api` / `start:worker` runs it, with its
// output kept for failure messages.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Lines of output kept per process. */
const KEPT_LINES = 300;
/** How long a process gets to exit after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 10_000;

export class ServiceProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly lines: string[] = [];
  private readonly waiters: { test: (line: string) => boolean; resolve: () => void }[] = [];
  private partial = '';
  private stopping: Promise<void> | undefined;

  constructor(
    readonly name: string,
    entry: string,
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => this.read(chunk));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => this.read(chunk));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when a line of output (past or future) contains `text`; rejects if the process exits first. */
  waitForOutput(text: string): Promise<void> {
    if (this.lines.some((line) => line.includes(text))) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ test: (line) => line.includes(text), resolve });
      void this.exited.then(({ code, signal }) =>
        reject(new Error(`${this.name} exited (code ${code}, signal ${signal}) before printing "${text}"\n${this.tail()}`)),
      );
    });
  }

  /** SIGTERM, then SIGKILL after a grace period. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (!this.running) return;
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
      await this.exited;
      clearTimeout(timer);
    })();
    return this.stopping;
  }

  tail(count = 40): string {
    return this.lines.slice(-count).map((line) => `  [${this.name}] ${line}`).join('\n');
  }

  private read(chunk: string): void {
    this.partial += chunk;
    let newline: number;
    while ((newline = this.partial.indexOf('\n')) >= 0) {
      this.keep(this.partial.slice(0, newline));
      this.partial = this.partial.slice(newline + 1);
    }
  }

  private keep(line: string): void {
    this.lines.push(line);
    if (this.lines.length > KEPT_LINES) this.lines.shift();
    for (const waiter of [...this.waiters]) {
      if (waiter.test(line)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}
