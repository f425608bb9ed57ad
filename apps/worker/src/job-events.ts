// JobEvent rows (the SSE history) are inserted inside the write that caused them and announced on Redis
// only after that write commits, so a stream woken by the announcement always finds the row.
import type { Prisma } from '@trainyard/db';
import type { JobQueue } from '@trainyard/queue';
import type { Logger } from 'pino';

export type JobEventType = 'status' | 'progress' | 'metrics' | 'snapshot';

export class EventBatch {
  private readonly ids: bigint[] = [];

  constructor(
    private readonly tx: Prisma.TransactionClient,
    private readonly jobId: string,
  ) {}

  async add(type: JobEventType, data: Prisma.InputJsonObject): Promise<void> {
    const row = await this.tx.jobEvent.create({ data: { jobId: this.jobId, type, data }, select: { id: true } });
    this.ids.push(row.id);
  }

  /** After commit. A lost notification only delays streams until their next poll, so it is logged, not thrown. */
  async publish(queue: JobQueue, log: Logger): Promise<void> {
    for (const id of this.ids) {
      try {
        await queue.publishEvent(this.jobId, id);
      } catch (error) {
        log.warn({ err: error, eventId: String(id) }, 'could not announce a job event');
        return;
      }
    }
  }
}

/** Time as the API writes it: ISO-8601 UTC. */
export const now = (): string => new Date().toISOString();

// A type alias (not an interface) so that it is assignable to Prisma's JSON input type.
export type MetricsJson = { loss: number; accuracy?: number; valLoss?: number; valAccuracy?: number };

/** Epoch metrics without the absent fields (JSON has no undefined). */
export function metricsJson(metrics: MetricsJson): MetricsJson {
  const json: MetricsJson = { loss: metrics.loss };
  if (metrics.accuracy !== undefined) json.accuracy = metrics.accuracy;
  if (metrics.valLoss !== undefined) json.valLoss = metrics.valLoss;
  if (metrics.valAccuracy !== undefined) json.valAccuracy = metrics.valAccuracy;
  return json;
}
