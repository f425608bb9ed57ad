import { TrainyardClient } from '@trainyard/client';

const STORAGE_KEY = 'trainyard.apiKey';

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
  },

  /** A client with the stored key (or the one given, to try it before storing). */
  client(apiKey: string | null = localStorage.getItem(STORAGE_KEY)): TrainyardClient {
    if (apiKey === null) throw new Error('not signed in');
    return new TrainyardClient({ baseUrl: location.origin, apiKey });
  },
};
