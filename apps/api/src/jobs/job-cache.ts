type Entry =
  | { tenantId: string; body: string; expiresAt: number }
  /** The job changed at `seq`: a read begun before then must not be cached. */
  | { invalidatedAt: number; expiresAt: number };

/**
 * GET /v1/jobs/:id answers, serialised, by job id: a dashboard polling a job costs no query while the
 * job does not change. Every JobEvent notification (`trainyard:events:<jobId>`, published after each
 * status/progress/metrics/snapshot write) drops the job's entry on every API instance; the TTL bounds
 * staleness for writes that publish nothing (and for notifications lost while Redis reconnects).
 */
export class JobCache {
  private readonly entries = new Map<string, Entry>();
  /** Reads under way, by job id: concurrent misses (a TTL expiry under load) share one query. */
  private readonly inflight = new Map<string, { tenantId: string; promise: Promise<string> }>();
  private seq = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 20_000,
  ) {}

  /** Call before reading the job; pass the result to `set`. */
  begin(): number {
    return this.seq;
  }

  /** The cached body, when it exists, is fresh and belongs to this tenant. */
  get(jobId: string, tenantId: string): string | undefined {
    const entry = this.entries.get(jobId);
    if (entry === undefined || !('body' in entry)) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(jobId);
      return undefined;
    }
    return entry.tenantId === tenantId ? entry.body : undefined;
  }

  /** Caches a body read after `begun`, unless the job changed since. */
  set(jobId: string, tenantId: string, body: string, begun: number): void {
    if (this.ttlMs === 0) return;
    const current = this.entries.get(jobId);
    if (current !== undefined && 'invalidatedAt' in current && current.invalidatedAt > begun && current.expiresAt > Date.now()) return;
    this.put(jobId, { tenantId, body, expiresAt: Date.now() + this.ttlMs });
  }

  /**
   * The cached body, else `read()`'s — one read for all the requests that miss at once. A read begun
   * before the job changed is neither cached nor shared with requests that arrive after the change.
   */
  load(jobId: string, tenantId: string, read: () => Promise<string>): Promise<string> {
    const flight = this.inflight.get(jobId);
    if (flight !== undefined && flight.tenantId === tenantId) return flight.promise;
    const begun = this.begin();
    const promise = read().then(
      (body) => {
        this.set(jobId, tenantId, body, begun);
        return body;
      },
    );
    if (this.ttlMs === 0) return promise;
    const entry = { tenantId, promise };
    this.inflight.set(jobId, entry);
    const settle = () => {
      if (this.inflight.get(jobId) === entry) this.inflight.delete(jobId);
    };
    promise.then(settle, settle);
    return promise;
  }

  invalidate(jobId: string): void {
    if (this.ttlMs === 0) return;
    this.inflight.delete(jobId);
    this.put(jobId, { invalidatedAt: ++this.seq, expiresAt: Date.now() + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
    this.inflight.clear();
    this.seq++;
  }

  private put(jobId: string, entry: Entry): void {
    this.entries.delete(jobId); // re-inserted last: Map order is age order
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(jobId, entry);
  }
}
