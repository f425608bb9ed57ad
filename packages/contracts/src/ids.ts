import { randomBytes } from 'node:crypto';

/** Resource id prefixes: the kind of an id is readable at a glance (`job_…`, `ds_…`). */
export const ID_PREFIX = {
  tenant: 'ten',
  apiKey: 'key',
  dataset: 'ds',
  job: 'job',
  snapshot: 'snap',
  sweep: 'swp',
} as const;

export type IdKind = keyof typeof ID_PREFIX;

/** A new opaque, URL-safe id: `<prefix>_` + 20 random base64url characters (120 bits). */
export function newId(kind: IdKind): string {
  return `${ID_PREFIX[kind]}_${randomBytes(15).toString('base64url')}`;
}
