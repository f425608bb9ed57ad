import type { Page, TrainyardClient } from '@trainyard/client';
import type { Sweep, SweepSubmitBody, Trial } from './types.ts';

/** The longest leaderboard page the API serves; a sweep's trials are read page after page. */
const TRIALS_PAGE = 100;

const sweepPath = (id: string) => `/v1/sweeps/${encodeURIComponent(id)}`;

/** The sweep routes through the client's generic `json` (its typed sweep methods are not relied on). */
export const sweepApi = {
  list(client: TrainyardClient, query: { limit?: number; after?: string } = {}, signal?: AbortSignal): Promise<Page<Sweep>> {
    return client.json('GET', '/v1/sweeps', { query, signal });
  },

  get(client: TrainyardClient, id: string, signal?: AbortSignal): Promise<Sweep> {
    return client.json('GET', sweepPath(id), { signal });
  },

  submit(client: TrainyardClient, body: SweepSubmitBody): Promise<Sweep> {
    return client.json('POST', '/v1/sweeps', { json: body });
  },

  cancel(client: TrainyardClient, id: string): Promise<Sweep> {
    return client.json('POST', `${sweepPath(id)}/cancel`);
  },

  /** The whole leaderboard, best first. */
  async trials(client: TrainyardClient, id: string, signal?: AbortSignal): Promise<Trial[]> {
    const trials: Trial[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await client.json<Page<Trial>>('GET', `${sweepPath(id)}/trials`, { query: { limit: TRIALS_PAGE, after }, signal });
      trials.push(...page.data);
      if (!page.hasMore || page.nextCursor === null) return trials;
      after = page.nextCursor;
    }
  },

  /** The open event stream (SSE over fetch: the Authorization header goes with it). */
  async events(client: TrainyardClient, id: string, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const response = await client.send('GET', `${sweepPath(id)}/events`, { headers: { Accept: 'text/event-stream' }, signal, noTimeout: true });
    if (response.body === null) throw new Error('the sweep\'s event stream has no body');
    return response.body;
  },
};
