export { loadConfig, ConfigError } from './config.ts';
export type { Config, Limits, WorkerSettings, QueueRetentionSettings, WebhookConfig } from './config.ts';
