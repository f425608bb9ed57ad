// A real HTTP server on loopback that plays a webhook receiver: it records every request as received and
// answers from a script (a status code, or 'hang' to never answer).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, exactly as received. */
  body: string;
  receivedAt: number;
}

export type Reply = number | 'hang' | { status: number; location: string };

export class TestReceiver {
  readonly requests: ReceivedRequest[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  private constructor(private readonly server: Server) {}

  /** `script(i)` answers the i-th request (0-based). `host`: any loopback address (127.0.0.0/8); `port` 0: any free one. */
  static async start(script: (index: number) => Reply, host = '127.0.0.1', port = 0): Promise<TestReceiver> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const index = receiver.requests.length;
        receiver.requests.push({
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          receivedAt: Date.now(),
        });
        receiver.wake();
        const reply = script(index);
        if (reply === 'hang') return;
        if (typeof reply === 'number') response.writeHead(reply).end(reply >= 400 ? 'receiver says no' : 'ok');
        else response.writeHead(reply.status, { location: reply.location }).end();
      });
    });
    // Requests only arrive after listen(), by when `receiver` is set.
    const receiver = new TestReceiver(server);
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    return receiver;
  }

  url(path = '/hooks/trainyard', host?: string): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${host ?? address}:${port}${path}`;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Resolves once `count` requests have arrived; rejects after `timeoutMs` so a test cannot hang. */
  waitForRequests(count: number, timeoutMs = 30_000): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`receiver got ${this.requests.length} of ${count} requests`)), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private wake(): void {
    const ready = this.waiters.filter((waiter) => this.requests.length >= waiter.count);
    this.waiters = this.waiters.filter((waiter) => this.requests.length < waiter.count);
    for (const waiter of ready) waiter.resolve();
  }
}

/** Polls `check` until it answers something truthy; fails after `timeoutMs` so a test cannot hang. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
