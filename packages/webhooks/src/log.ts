// The little of a logger this package needs; a pino Logger fits it as is.

export interface WebhookLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Used when the caller gives no logger: problems still reach stderr, routine news does not. */
export const stderrLogger: WebhookLogger = {
  info: () => {},
  warn: (details, message) => console.warn(`[webhooks] ${message}`, details),
  error: (details, message) => console.error(`[webhooks] ${message}`, details),
};

/** A message for lastError and logs, from anything thrown. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
