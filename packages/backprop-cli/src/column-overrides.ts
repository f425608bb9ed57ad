import { ColumnOverrideSchema } from '@trainyard/contracts';
import type { ColumnOverride } from '@trainyard/tabular';
import { CliError } from './cli-error.ts';

/** The types an upload's `columns` accepts, from the same schema the API validates them with. */
const COLUMN_TYPES: readonly string[] = ColumnOverrideSchema.enum;

/**
 * `--column NAME=TYPE` flags → the upload's `columns`. The type is after the last `=`, so names may hold
 * one; an unknown type, a missing name and a name given twice are the user's to fix.
 */
export function parseColumnOverrides(flags: string[]): Record<string, ColumnOverride> | undefined {
  if (flags.length === 0) return undefined;
  const overrides: Record<string, ColumnOverride> = {};
  for (const flag of flags) {
    const split = flag.lastIndexOf('=');
    const name = split < 0 ? '' : flag.slice(0, split);
    const type = flag.slice(split + 1).trim().toLowerCase();
    if (split < 0 || name === '') throw new CliError(`--column "${flag}": expected NAME=TYPE, e.g. --column zip=category`);
    if (!COLUMN_TYPES.includes(type)) {
      throw new CliError(`--column "${flag}": unknown type "${flag.slice(split + 1)}"; the types are ${COLUMN_TYPES.join(', ')}`);
    }
    if (Object.hasOwn(overrides, name)) throw new CliError(`--column "${name}" is given twice`);
    overrides[name] = type as ColumnOverride;
  }
  return overrides;
}
