export { TrainyardClient, type ClientOptions, type WeightsFormat } from './client.ts';
export { ApiRequestError, ConnectionError } from './errors.ts';
export { readServerSentEvents, EventStreamParser, type ServerSentEvent } from './sse.ts';
export { watchJob, type WatchOptions, type WatchMode } from './watch.ts';
export * from './types.ts';
