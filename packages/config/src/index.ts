export { loadConfig, ConfigError } from './config.ts';
export type { Config, Limits } from './config.ts';
