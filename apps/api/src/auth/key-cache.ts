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
    this.entries.delete(hash);
  }

  clear(): void {
    this.entries.clear();
  }
}
