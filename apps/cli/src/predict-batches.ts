import { ApiRequestError, type Prediction, type RawRow, type TrainyardClient } from '@trainyard/client';

/** The service's default TRAINYARD_MAX_PREDICT_ROWS (packages/config): the first batch size unless told. */
export const DEFAULT_MAX_PREDICT_ROWS = 10_000;

export interface BatchOptions {
  snapshot?: string;
  /** Rows per request to start with; smaller when the service says its limit is lower. */
  batchSize: number;
}

/**
 * Raw rows → one prediction, in requests of at most `batchSize` rows. A 422 `limit_exceeded` names the
 * service's limit ("at most N per request"), which becomes the batch size; a 413 halves it. Every batch
 * uses the snapshot the first one answered with, and errors name rows counted from the start of `rows`.
 */
export async function predictInBatches(client: Pick<TrainyardClient, 'predict'>, jobId: string, rows: RawRow[], options: BatchOptions): Promise<Prediction> {
  const outputs: number[][] = [];
  const labels: string[] = [];
  let snapshot = options.snapshot;
  let size = Math.max(1, Math.min(options.batchSize, rows.length));
  for (let start = 0; start < rows.length; ) {
    const batch = rows.slice(start, start + size);
    let prediction: Prediction;
    try {
      prediction = await client.predict(jobId, { rows: batch }, { snapshot });
    } catch (error) {
      const smaller = error instanceof ApiRequestError ? smallerBatch(error, batch.length) : undefined;
      if (smaller !== undefined) {
        size = smaller;
        continue;
      }
      throw error instanceof ApiRequestError && start > 0 ? offsetRows(error, start) : error;
    }
    outputs.push(...prediction.outputs);
    if (prediction.labels) labels.push(...prediction.labels);
    snapshot = prediction.snapshot;
    start += batch.length;
  }
  return { outputs, ...(labels.length > 0 ? { labels } : {}), snapshot: snapshot ?? '' };
}

/** The batch size to retry with, when the error says the batch was too big. */
function smallerBatch(error: ApiRequestError, sent: number): number | undefined {
  if (error.status === 413 && sent > 1) return Math.ceil(sent / 2);
  if (error.code !== 'limit_exceeded') return undefined;
  const limit = /at most (\d+) per request/.exec(error.message);
  const rows = limit ? Number(limit[1]) : Math.ceil(sent / 2);
  return rows >= 1 && rows < sent ? rows : undefined;
}

/** The same error with its row numbers counted from the first row of the file instead of the batch. */
function offsetRows(error: ApiRequestError, offset: number): ApiRequestError {
  const shift = (row: number) => row + offset;
  const details = error.details.map((detail) => ({
    ...detail,
    ...(detail.row !== undefined ? { row: shift(detail.row) } : {}),
    ...(detail.examples ? { examples: detail.examples.map(shift) } : {}),
    ...(detail.path ? { path: detail.path.replace(/^(rows|inputs)\[(\d+)\]/, (_, name: string, index: string) => `${name}[${Number(index) + offset}]`) } : {}),
  }));
  const message = error.message.replace(/\brow (\d+)\b/g, (_, row: string) => `row ${shift(Number(row))}`);
  return new ApiRequestError(error.status, error.code, message, details);
}
