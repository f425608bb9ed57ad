import type { Redis } from 'ioredis';

type Listener = (message: string) => void;

/**
 * One Redis subscriber connection shared by every SSE stream and the key-revocation listener of this
 * process: channels are subscribed while someone listens. After a reconnect, messages sent meanwhile
 * are lost, so `onReconnect` listeners re-read what they care about from PostgreSQL.
 */
export class EventBus {
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Resolves once Redis confirmed the subscription, so nothing published after `subscribe` returns is missed. */
  private readonly subscribed = new Map<string, Promise<unknown>>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly patternListeners = new Map<string, (channel: string) => void>();
  private connectedOnce = false;
  private closed = false;

  constructor(private readonly subscriber: Redis) {
    subscriber.on('message', (channel: string, message: string) => {
      for (const listener of this.listeners.get(channel) ?? []) listener(message);
    });
    subscriber.on('pmessage', (pattern: string, channel: string) => this.patternListeners.get(pattern)?.(channel));
    subscriber.on('ready', () => {
      if (this.connectedOnce) for (const listener of this.reconnectListeners) listener();
      this.connectedOnce = true;
    });
    // Errors are reported by ioredis' reconnect loop; an unhandled 'error' event would crash the process.
    subscriber.on('error', () => undefined);
  }

  /** Listens on a channel until the returned function is called. */
  async subscribe(channel: string, listener: Listener): Promise<() => void> {
    let set = this.listeners.get(channel);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(channel, set);
      this.subscribed.set(channel, this.subscriber.subscribe(channel));
    }
    set.add(listener);
    const unsubscribe = () => this.unsubscribe(channel, listener);
    try {
      await this.subscribed.get(channel);
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  /** One listener per pattern for the life of the bus (the job cache listens to every job's events). */
  async psubscribe(pattern: string, listener: (channel: string) => void): Promise<void> {
    this.patternListeners.set(pattern, listener);
    await this.subscriber.psubscribe(pattern);
  }

  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  private unsubscribe(channel: string, listener: Listener): void {
    const set = this.listeners.get(channel);
    if (set === undefined) return;
    set.delete(listener);
    if (set.size === 0) {
      this.listeners.delete(channel);
      this.subscribed.delete(channel);
      if (!this.closed) this.subscriber.unsubscribe(channel).catch(() => undefined);
    }
  }

  /** Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    this.patternListeners.clear();
    this.subscribed.clear();
    this.reconnectListeners.clear();
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }
}
