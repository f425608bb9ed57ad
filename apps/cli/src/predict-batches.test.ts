import { describe, expect, it } from 'vitest';
import { ApiRequestError, type PredictRequest, type Prediction, type RawRow } from '@trainyard/client';
import { predictInBatches } from './predict-batches.ts';

const ROWS: RawRow[] = Array.from({ length: 25 }, (_, i) => ({ x: i }));

/** A stand-in for the service's predict route: labels each row by its x, refusing more than `limit` rows. */
function service(limit: number, options: { tooLargeAbove?: number; badX?: number } = {}) {
  const requests: { rows: number; snapshot?: string }[] = [];
  const predict = (_jobId: string, request: PredictRequest | number[][], given: { snapshot?: string } | string = {}): Promise<Prediction> => {
    const rows = (request as { rows: RawRow[] }).rows;
    const snapshot = typeof given === 'string' ? given : given.snapshot;
    requests.push({ rows: rows.length, snapshot });
    if (rows.length > (options.tooLargeAbove ?? Infinity)) return Promise.reject(new ApiRequestError(413, 'payload_too_large', 'the body is too large'));
    if (rows.length > limit) {
      return Promise.reject(new ApiRequestError(422, 'limit_exceeded', `${rows.length} rows; at most ${limit} per request (TRAINYARD_MAX_PREDICT_ROWS)`));
    }
    const bad = rows.findIndex((row) => row.x === options.badX);
    if (bad >= 0) {
      return Promise.reject(new ApiRequestError(422, 'invalid_input', `row ${bad + 1}, column "x": values are not numbers`, [
        { path: `rows[${bad}].x`, row: bad + 1, column: 'x', message: 'values are not numbers', count: 1, examples: [bad + 1] },
      ]));
    }
    return Promise.resolve({ outputs: rows.map((row) => [Number(row.x)]), labels: rows.map((row) => `x${String(row.x)}`), snapshot: 'snap_final' });
  };
  return { predict, requests };
}

describe('predictInBatches', () => {
  it('takes the service\'s limit from its 422 and sends the rows in batches of it, on one snapshot', async () => {
    const { predict, requests } = service(10);
    const prediction = await predictInBatches({ predict }, 'job_1', ROWS, { batchSize: 10_000 });
    expect(prediction.labels).toEqual(ROWS.map((row) => `x${String(row.x)}`));
    expect(prediction.outputs).toHaveLength(25);
    expect(requests).toEqual([
      { rows: 25, snapshot: undefined },
      { rows: 10, snapshot: undefined },
      { rows: 10, snapshot: 'snap_final' },
      { rows: 5, snapshot: 'snap_final' },
    ]);
  });

  it('halves the batch on a 413', async () => {
    const { predict, requests } = service(100, { tooLargeAbove: 8 });
    expect((await predictInBatches({ predict }, 'job_1', ROWS, { batchSize: 25 })).outputs).toHaveLength(25);
    expect(requests.map((request) => request.rows)).toEqual([25, 13, 7, 7, 7, 4]);
  });

  it('names a bad row counted from the start of the file, not of its batch', async () => {
    const { predict } = service(10, { badX: 23 });
    const error = (await predictInBatches({ predict }, 'job_1', ROWS, { batchSize: 10 }).catch((caught: unknown) => caught)) as ApiRequestError;
    expect(error.message).toBe('row 24, column "x": values are not numbers');
    expect(error.details).toEqual([{ path: 'rows[23].x', row: 24, column: 'x', message: 'values are not numbers', count: 1, examples: [24] }]);
  });
});
