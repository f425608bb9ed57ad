import { describe, expect, it } from 'vitest';
import { EventStreamParser, readServerSentEvents, type ServerSentEvent } from './sse.ts';

// A stream as the API writes it: a retry hint, replayed events, a heartbeat comment, a final status.
const STREAM =
  'retry: 2000\n\n' +
  'id: 7\nevent: progress\ndata: {"epoch":1,"epochs":2}\n\n' +
  ': heartbeat\n\n' +
  'id: 8\nevent: metrics\ndata: {"loss":0.5,"note":"naïve ✓"}\n\n' +
  'id: 9\nevent: status\ndata: {"status":"succeeded"}\n\n';

const EXPECTED: ServerSentEvent[] = [
  { event: 'progress', data: '{"epoch":1,"epochs":2}', id: '7', retry: 2000 },
  { event: 'metrics', data: '{"loss":0.5,"note":"naïve ✓"}', id: '8', retry: 2000 },
  { event: 'status', data: '{"status":"succeeded"}', id: '9', retry: 2000 },
];

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<ServerSentEvent[]> {
  const messages: ServerSentEvent[] = [];
  for await (const message of readServerSentEvents(stream)) messages.push(message);
  return messages;
}

describe('readServerSentEvents', () => {
  it('parses a whole stream in one chunk', async () => {
    expect(await collect(streamOf([new TextEncoder().encode(STREAM)]))).toEqual(EXPECTED);
  });

  it('gives the same messages whatever the chunk boundaries, even inside UTF-8 sequences', async () => {
    const bytes = new TextEncoder().encode(STREAM);
    for (const size of [1, 2, 3, 5, 7, 13]) {
      const chunks: Uint8Array[] = [];
      for (let start = 0; start < bytes.length; start += size) chunks.push(bytes.slice(start, start + size));
      expect(await collect(streamOf(chunks)), `chunks of ${size} bytes`).toEqual(EXPECTED);
    }
  });

  it('drops a final message that never got its blank line (a cut connection)', async () => {
    const cut = STREAM + 'id: 10\nevent: progress\ndata: {"epoch":2}\n';
    expect(await collect(streamOf([new TextEncoder().encode(cut)]))).toEqual(EXPECTED);
  });

  it('stops reading when the consumer stops early', async () => {
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('event: progress\ndata: {}\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const message of readServerSentEvents(endless)) {
      expect(message.event).toBe('progress');
      break;
    }
    expect(cancelled).toBe(true);
  });
});

describe('EventStreamParser', () => {
  it('follows the spec on line endings, multi-line data, ids, unknown fields and BOM', () => {
    const parser = new EventStreamParser();
    const text = '\uFEFFdata: a\r\ndata:b\r\rid: 3\nfoo: bar\nevent: x\ndata\n\n' + 'data: c\n\n';
    expect(parser.push(text)).toEqual([
      { event: 'message', data: 'a\nb', id: null, retry: null },
      { event: 'x', data: '', id: '3', retry: null },
      { event: 'message', data: 'c', id: '3', retry: null },
    ]);
  });

  it('waits for the rest of a CRLF split between chunks', () => {
    const parser = new EventStreamParser();
    expect(parser.push('data: one\r')).toEqual([]);
    expect(parser.push('\n\r\n')).toEqual([{ event: 'message', data: 'one', id: null, retry: null }]);
  });

  it('ignores ids containing NUL and retry values that are not digits', () => {
    const parser = new EventStreamParser();
    expect(parser.push('id: 1\n\nid: 2\u00003\nretry: 1s\ndata: z\n\n')).toEqual([{ event: 'message', data: 'z', id: '1', retry: null }]);
  });
});
