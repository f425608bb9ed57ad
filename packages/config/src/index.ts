export { loadConfig, ConfigError } from './config.ts';
export type { Config, Limits, WorkerSettings, QueueRetentionSettings } from './config.ts';
