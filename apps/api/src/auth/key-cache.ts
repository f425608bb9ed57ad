/** Who an API key belongs to; null records a key that is unknown or revoked. */
export interface Principal {
  tenantId: string;
  keyId: string;
}

interface Entry {
  principal: Principal | null;
  expiresAt: number;
}

/**
 * key hash → principal, for `ttlMs`. Keeps the authenticated hot path free of database queries.
 * Revocation reaches it through Redis pub/sub (`delete`); when a message is missed, the TTL bounds how
 * long a revoked key keeps working.
 */
export class KeyCache {
  private readonly entries = new Map<string, Entry>();
  /** Lookups under way: requests that miss at once (the TTL expiring under load) share one query. */
  private readonly inflight = new Map<string, Promise<Principal | null>>();
  /** Bumped by every revocation: a lookup begun before one is not cached. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  /** undefined: not cached (ask the database); null: known to be invalid. */
  get(hash: string): Principal | null | undefined {
    const entry = this.entries.get(hash);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry.principal;
  }

  /** The cached principal, else `read()`'s (cached unless a revocation arrived meanwhile). */
  load(hash: string, read: () => Promise<Principal | null>): Promise<Principal | null> {
    const cached = this.get(hash);
    if (cached !== undefined) return Promise.resolve(cached);
    let pending = this.inflight.get(hash);
    if (pending === undefined) {
      const begun = this.generation;
      const promise = read().then((principal) => {
        if (this.generation === begun) this.set(hash, principal);
        return principal;
      });
      pending = promise;
      this.inflight.set(hash, promise);
      const settle = () => {
        if (this.inflight.get(hash) === promise) this.inflight.delete(hash);
      };
      promise.then(settle, settle);
    }
    return pending;
  }

  set(hash: string, principal: Principal | null): void {
    if (this.ttlMs === 0) return;
    if (this.entries.size >= this.maxEntries) {
      // Map iterates in insertion order: drop the oldest entry.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(hash, { principal, expiresAt: Date.now() + this.ttlMs });
  }

  delete(hash: string): void {
    this.generation++;
    this.entries.delete(hash);
    this.inflight.delete(hash);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.inflight.clear();
  }
}
