export { buildApp, type AppDeps } from './app.ts';
export type { AppContext, JobQueuePort } from './context.ts';
export { createTenant, createApiKey, revokeApiKey, ensureBootstrapKey, KEY_REVOKED_CHANNEL } from './auth/tenants.ts';
