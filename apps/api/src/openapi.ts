import { ERRORS, ErrorResponse } from '@trainyard/contracts';

/** Response schemas for the error statuses a route can answer, all in the contract's error shape. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorResponse> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorResponse]));
}

const errorTable = Object.entries(ERRORS)
  .map(([code, entry]) => `| \`${code}\` | ${entry.status} | ${entry.retryable ? 'yes' : 'no'} | ${entry.description} |`)
  .join('\n');

/** The document's frame; @fastify/swagger fills `paths` from the route schemas. */
export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Trainyard',
      version: '0.1.0',
      description:
        'Training as a service: upload a dataset, submit a dense network, follow its training, download the weights, predict.\n\n' +
        'Every error answers `{ "error": { "code", "message", "details"? } }`:\n\n| code | status | retryable | meaning |\n|---|---|---|---|\n' +
        errorTable,
    },
    tags: [
      { name: 'datasets' },
      { name: 'jobs' },
      { name: 'snapshots' },
      { name: 'admin', description: 'Needs TRAINYARD_ADMIN_KEY; answers 404 when it is not set' },
      { name: 'operations' },
    ],
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http' as const, scheme: 'bearer', description: 'An API key: Authorization: Bearer ty_…' },
        adminKey: { type: 'http' as const, scheme: 'bearer', description: 'TRAINYARD_ADMIN_KEY' },
      },
    },
    security: [{ bearerAuth: [] }],
  };
}
