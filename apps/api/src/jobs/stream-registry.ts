import { ApiError } from '@trainyard/contracts';

/** An open event stream, as the registry sees it. */
export interface OpenStream {
  /** Ends the stream (idempotent). */
  end(): void;
}

/**
 * Open SSE streams of this API process: at most `perTenant` per tenant (429 above), and all of them
 * ended on shutdown so that closing the server does not wait for clients that never hang up.
 */
export class StreamRegistry {
  private readonly byTenant = new Map<string, Set<OpenStream>>();
  private closed = false;

  constructor(private readonly perTenant: number) {}

  /** Registers a stream or throws 429; call the returned function when the stream ends. */
  open(tenantId: string, stream: OpenStream): () => void {
    if (this.closed) throw new ApiError('not_ready', 'the server is shutting down');
    let streams = this.byTenant.get(tenantId);
    if (streams === undefined) {
      streams = new Set();
      this.byTenant.set(tenantId, streams);
    }
    if (streams.size >= this.perTenant) {
      throw new ApiError(
        'too_many_streams',
        `${streams.size} event streams are open for this tenant; at most ${this.perTenant} (TRAINYARD_MAX_SSE_CONNECTIONS_PER_TENANT)`,
        undefined,
        { 'Retry-After': '5' },
      );
    }
    streams.add(stream);
    const owned = streams;
    return () => {
      owned.delete(stream);
      if (owned.size === 0 && this.byTenant.get(tenantId) === owned) this.byTenant.delete(tenantId);
    };
  }

  count(tenantId: string): number {
    return this.byTenant.get(tenantId)?.size ?? 0;
  }

  /** Ends every stream; later opens are refused. Idempotent. */
  closeAll(): void {
    this.closed = true;
    for (const streams of [...this.byTenant.values()]) for (const stream of [...streams]) stream.end();
    this.byTenant.clear();
  }
}
