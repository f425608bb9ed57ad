export { dashboardPlugin, CLIENT_ROUTES, DEFAULT_DIST_DIR, type DashboardOptions } from './plugin.ts';
