import type { ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { TERMINAL_STATUSES } from '@trainyard/contracts';
import { jobEventsChannel } from '@trainyard/queue';
import type { AppContext } from '../context.ts';

/** Events read from the table per query; a stream far behind catches up in several reads. */
const BATCH = 500;

interface StreamOptions {
  jobId: string;
  /** Replay starts after this event id (Last-Event-ID); 0 replays everything. */
  afterId: bigint;
  response: ServerResponse;
  log: FastifyBaseLogger;
  /** Called once when the stream ends, whatever the cause. */
  onEnd: () => void;
}

const isTerminalStatusEvent = (type: string, data: unknown) =>
  type === 'status' && TERMINAL_STATUSES.includes((data as { status?: string })?.status as never);

/**
 * One SSE stream of a job's events. PostgreSQL (JobEvent) is the source: the stream replays after
 * Last-Event-ID, then re-reads whenever Redis says a new event was written (and on each heartbeat, in
 * case a message was lost). It ends after the terminal status event, or when the job has been terminal
 * for a whole heartbeat without one (so a lost event never leaves a client hanging).
 */
export class JobEventStream {
  private lastId: bigint;
  private reading = false;
  private readAgain = false;
  private ended = false;
  private terminalSince: number | null = null;
  private heartbeat: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly context: AppContext,
    private readonly options: StreamOptions,
  ) {
    this.lastId = options.afterId;
  }

  async start(): Promise<void> {
    const { response } = this.options;
    response.on('close', () => this.end());
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.write('retry: 2000\n\n');
    try {
      this.unsubscribe = await this.context.bus.subscribe(jobEventsChannel(this.options.jobId), () => void this.pump());
    } catch (error) {
      this.options.log.warn({ err: error }, 'event notifications unavailable; the stream polls on its heartbeat');
    }
    if (this.ended) {
      // The client left while we subscribed.
      this.unsubscribe?.();
      return;
    }
    this.heartbeat = setInterval(() => void this.tick(), this.context.config.sseHeartbeatMs);
    await this.pump();
  }

  /** Idempotent. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (!this.options.response.writableEnded) this.options.response.end();
    this.options.onEnd();
  }

  private async tick(): Promise<void> {
    if (this.ended) return;
    this.options.response.write(': heartbeat\n\n');
    await this.pump();
    if (this.ended) return;
    const job = await this.context.prisma.job
      .findUnique({ where: { id: this.options.jobId }, select: { status: true } })
      .catch(() => undefined);
    if (job === null) return this.end(); // deleted
    if (job === undefined || !TERMINAL_STATUSES.includes(job.status as never)) return;
    if (this.terminalSince === null) this.terminalSince = Date.now();
    else this.end();
  }

  /** Sends every event after lastId; concurrent calls collapse into one more read. */
  private async pump(): Promise<void> {
    if (this.ended) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.readAgain = false;
        const events = await this.context.prisma.jobEvent.findMany({
          where: { jobId: this.options.jobId, id: { gt: this.lastId } },
          orderBy: { id: 'asc' },
          take: BATCH,
          select: { id: true, type: true, data: true },
        });
        for (const event of events) {
          if (this.ended) return;
          this.options.response.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
          this.lastId = event.id;
          if (isTerminalStatusEvent(event.type, event.data)) return this.end();
        }
        if (events.length === BATCH) this.readAgain = true;
      } while (this.readAgain && !this.ended);
    } catch (error) {
      this.options.log.error({ err: error, jobId: this.options.jobId }, 'event stream read failed');
      this.end();
    } finally {
      this.reading = false;
    }
  }
}
