import { AddressPolicy } from './address-policy.ts';

// Every webhook limit by name. The service reads them from the environment (README: WEBHOOK_*) and passes
// them here; the same settings must reach the dispatcher (API and worker) and the delivery worker.

export interface WebhookSettings {
  /** WEBHOOK_TIMEOUT_MS: longest one POST may take, connection to last header byte. */
  timeoutMs: number;
  /** WEBHOOK_MAX_ATTEMPTS: POSTs of one delivery before it is given up (1 = no retry). */
  maxAttempts: number;
  /** WEBHOOK_BACKOFF_MS: wait before the first retry; it doubles at each further retry. */
  backoffMs: number;
  /** WEBHOOK_CONCURRENCY: deliveries one delivery worker sends at once. */
  concurrency: number;
  /** WEBHOOK_ENQUEUE_TIMEOUT_MS: longest the dispatcher waits for Redis (BullMQ alone would wait forever); a delivery it could not queue is left to `reconcile`. */
  enqueueTimeoutMs: number;
  /** TRAINYARD_WEBHOOK_ALLOW_PRIVATE: deliveries may go to loopback, private, link-local and other internal addresses. */
  allowPrivate: boolean;
  /** TRAINYARD_WEBHOOK_ALLOWED_CIDRS: internal ranges deliveries may go to anyway. */
  allowedCidrs: string[];
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  timeoutMs: 10_000,
  maxAttempts: 8,
  backoffMs: 2_000,
  concurrency: 8,
  enqueueTimeoutMs: 2_000,
  allowPrivate: false,
  allowedCidrs: [],
};

type NumericSetting = Exclude<keyof WebhookSettings, 'allowPrivate' | 'allowedCidrs'>;

/** Longest error text kept in WebhookDelivery.lastError. */
export const MAX_ERROR_LENGTH = 1_000;

const BOUNDS: Record<NumericSetting, [min: number, max: number]> = {
  timeoutMs: [1, 600_000],
  maxAttempts: [1, 100],
  backoffMs: [0, 86_400_000],
  concurrency: [1, 1_000],
  enqueueTimeoutMs: [1, 600_000],
};

/** Defaults filled in and every value checked; throws a RangeError naming each bad setting. */
export function resolveWebhookSettings(partial: Partial<WebhookSettings> = {}): WebhookSettings {
  const settings = { ...DEFAULT_WEBHOOK_SETTINGS };
  const problems: string[] = [];
  for (const key of Object.keys(BOUNDS) as NumericSetting[]) {
    const value = partial[key];
    if (value === undefined) continue;
    const [min, max] = BOUNDS[key];
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${key} must be an integer in [${min}, ${max}], got ${value}`);
    } else {
      settings[key] = value;
    }
  }
  if (partial.allowPrivate !== undefined) settings.allowPrivate = partial.allowPrivate === true;
  if (partial.allowedCidrs !== undefined) {
    try {
      new AddressPolicy({ allowPrivate: false, allowedCidrs: partial.allowedCidrs });
      settings.allowedCidrs = [...partial.allowedCidrs];
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) throw new RangeError(`invalid webhook settings: ${problems.join('; ')}`);
  return settings;
}

/** The address policy the settings describe. */
export function addressPolicyOf(settings: Pick<WebhookSettings, 'allowPrivate' | 'allowedCidrs'>): AddressPolicy {
  return new AddressPolicy({ allowPrivate: settings.allowPrivate, allowedCidrs: settings.allowedCidrs });
}
