/** One Server-Sent Events message, as the WHATWG "event stream" format defines it. */
export interface ServerSentEvent {
  /** `event:` field; "message" when absent. */
  event: string;
  /** `data:` lines joined by "\n". */
  data: string;
  /** The last `id:` seen so far in the stream (ids persist across messages), or null. */
  id: string | null;
  /** The last `retry:` (reconnection delay, ms) seen so far in the stream, or null. */
  retry: number | null;
}

/**
 * Parses an event stream (the body of a `text/event-stream` response) into messages. Works on any
 * ReadableStream of bytes, so `fetch` can send an Authorization header (EventSource cannot).
 * Chunks may split lines, fields and UTF-8 sequences anywhere.
 */
export async function* readServerSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const parser = new EventStreamParser();
  const decoder = new TextDecoder('utf-8');
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    // A message without its closing blank line is incomplete: the spec discards it.
    parser.push(decoder.decode());
  } finally {
    // Runs on early exit too (a consumer's `break`): stop the download.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** The line-level state machine, fed with text; separate so it can be tested chunk by chunk. */
export class EventStreamParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private lastId: string | null = null;
  private retry: number | null = null;
  private atStart = true;

  /** Adds text; returns the messages it completed. */
  push(text: string): ServerSentEvent[] {
    this.buffer += text;
    if (this.atStart && this.buffer.length > 0) {
      if (this.buffer.charCodeAt(0) === 0xfeff) this.buffer = this.buffer.slice(1); // BOM
      this.atStart = false;
    }
    const messages: ServerSentEvent[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (match === null) break;
      // A lone "\r" at the end might be the first half of "\r\n": wait for more.
      if (match[0] === '\r' && match.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const message = this.line(line);
      if (message !== null) messages.push(message);
    }
    return messages;
  }

  private line(line: string): ServerSentEvent | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return null; // comment (heartbeat)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.event = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\u0000')) this.lastId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        return null; // unknown fields are ignored
    }
    return null;
  }

  private dispatch(): ServerSentEvent | null {
    // Per the spec a message without data is not dispatched (e.g. a lone `retry:`).
    const message = this.data.length === 0 ? null : { event: this.event || 'message', data: this.data.join('\n'), id: this.lastId, retry: this.retry };
    this.event = '';
    this.data = [];
    return message;
  }
}
