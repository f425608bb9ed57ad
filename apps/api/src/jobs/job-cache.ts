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

  invalidate(jobId: string): void {
    if (this.ttlMs === 0) return;
    this.put(jobId, { invalidatedAt: ++this.seq, expiresAt: Date.now() + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
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
