import { TrainyardClient } from '@trainyard/client';
import { DatasetCache } from './dataset-cache.ts';

const STORAGE_KEY = 'trainyard.apiKey';

/** One cache per key: another key may be another tenant, who sees other datasets. */
let datasetCache: { apiKey: string; cache: DatasetCache } | null = null;

/** The signed-in API key lives in localStorage; the API is the page's own origin. */
export const session = {
  get apiKey(): string | null {
    return localStorage.getItem(STORAGE_KEY);
  },

  signIn(apiKey: string): void {
    localStorage.setItem(STORAGE_KEY, apiKey);
  },

  signOut(): void {
    localStorage.removeItem(STORAGE_KEY);
    datasetCache = null;
  },

  /** A client with the stored key (or the one given, to try it before storing). */
  client(apiKey: string | null = localStorage.getItem(STORAGE_KEY)): TrainyardClient {
    if (apiKey === null) throw new Error('not signed in');
    return new TrainyardClient({ baseUrl: location.origin, apiKey });
  },

  /** The signed-in tenant's datasets by id, each read once (names for lists and links). */
  datasets(): DatasetCache {
    const apiKey = localStorage.getItem(STORAGE_KEY);
    if (apiKey === null) throw new Error('not signed in');
    if (datasetCache?.apiKey !== apiKey) {
      const client = this.client(apiKey);
      datasetCache = { apiKey, cache: new DatasetCache((id) => client.getDataset(id)) };
    }
    return datasetCache.cache;
  },
};
