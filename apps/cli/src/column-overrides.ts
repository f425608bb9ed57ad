import type { ColumnOverrides } from '@trainyard/client';
import { UsageError } from './usage-error.ts';

/** The types `--column NAME=TYPE` accepts (API.md, "Real tables"). */
export const COLUMN_TYPES = ['number', 'boolean', 'datetime', 'category', 'text', 'ignore'] as const;
type ColumnOverride = (typeof COLUMN_TYPES)[number];

/**
 * `--column NAME=TYPE` flags → the upload's `columns`. The type is after the last `=`, so names may hold
 * one; an unknown type, a missing name and a name given twice are usage errors.
 */
export function parseColumnOverrides(flags: string[]): ColumnOverrides | undefined {
  if (flags.length === 0) return undefined;
  const overrides: ColumnOverrides = {};
  for (const flag of flags) {
    const split = flag.lastIndexOf('=');
    const name = split < 0 ? '' : flag.slice(0, split);
    const type = flag.slice(split + 1).trim().toLowerCase();
    if (split < 0 || name === '') throw new UsageError(`--column "${flag}": expected NAME=TYPE, e.g. --column zip=category`);
    if (!(COLUMN_TYPES as readonly string[]).includes(type)) {
      throw new UsageError(`--column "${flag}": unknown type "${flag.slice(split + 1)}"; the types are ${COLUMN_TYPES.join(', ')}`);
    }
    if (Object.hasOwn(overrides, name)) throw new UsageError(`--column "${name}" is given twice`);
    overrides[name] = type as ColumnOverride;
  }
  return overrides;
}
