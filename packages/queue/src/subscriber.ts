// One Redis subscriber connection per process, shared by every listener: cancel requests (worker) and
// job event notifications (SSE streams in the API).
import type { Redis } from 'ioredis';
import { CANCEL_CHANNEL, jobEventsChannel } from './channels.ts';
import { closeRedis, createRedis } from './connection.ts';

type Listener = (message: string) => void;
interface Channel {
  listeners: Set<Listener>;
  /** The SUBSCRIBE command; every listener waits for it before its subscription counts as active. */
  ready: Promise<unknown>;
}
export type Unsubscribe = () => Promise<void>;

export class QueueSubscriber {
  private readonly redis: Redis;
  private readonly channels = new Map<string, Channel>();
  private closing: Promise<void> | undefined;

  constructor(redisUrl?: string) {
    // ioredis re-subscribes every channel by itself after a reconnect.
    this.redis = createRedis(redisUrl);
    this.redis.on('message', (channel: string, message: string) => {
      for (const listener of this.channels.get(channel)?.listeners ?? []) {
        try {
          listener(message);
        } catch {
          // One faulty listener must not starve the others.
        }
      }
    });
  }

  /** Calls `listener(jobId)` for every cancel request. Resolves once the subscription is active. */
  onCancel(listener: (jobId: string) => void): Promise<Unsubscribe> {
    return this.subscribe(CANCEL_CHANNEL, listener);
  }

  /** Calls `listener(eventId)` whenever a JobEvent of this job is inserted. Resolves once active. */
  onJobEvent(jobId: string, listener: (eventId: string) => void): Promise<Unsubscribe> {
    return this.subscribe(jobEventsChannel(jobId), listener);
  }

  private async subscribe(channel: string, listener: Listener): Promise<Unsubscribe> {
    if (this.closing) throw new Error('subscriber is closed');
    let entry = this.channels.get(channel);
    if (!entry) {
      entry = { listeners: new Set(), ready: this.redis.subscribe(channel) };
      this.channels.set(channel, entry);
    }
    entry.listeners.add(listener);
    const unsubscribe = this.unsubscriber(channel, entry, listener);
    try {
      await entry.ready;
    } catch (error) {
      await unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  private unsubscriber(channel: string, entry: Channel, listener: Listener): Unsubscribe {
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      entry.listeners.delete(listener);
      if (entry.listeners.size > 0 || this.channels.get(channel) !== entry) return;
      this.channels.delete(channel);
      if (!this.closing) await this.redis.unsubscribe(channel).catch(() => {});
    };
  }

  /** Drops every listener and the connection. Idempotent, never throws. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.channels.clear();
      await closeRedis(this.redis);
    })();
    return this.closing;
  }
}
