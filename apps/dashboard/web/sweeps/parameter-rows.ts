import type { ErrorDetail } from '@trainyard/client';
import type { ParameterKind, ParameterSpec } from './types.ts';

/** One row of the form's parameters table, as typed. */
export interface ParameterRow {
  path: string;
  kind: ParameterKind;
  /** For `values`: comma-separated, each JSON (0.1, true, "adam") or else a bare word (adam). */
  values: string;
  low: string;
  high: string;
}

/**
 * `0.1, 0.01` → [0.1, 0.01]; `relu, tanh` → ['relu', 'tanh']; a JSON array is taken as it is. What is typed is
 * sent as typed (an empty entry is an empty string): the API says what it does not accept.
 */
export function parseValues(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      // not JSON: read as a list like any other
    }
  }
  if (trimmed === '') return [];
  return trimmed.split(',').map((entry) => {
    const token = entry.trim();
    try {
      return JSON.parse(token) as unknown;
    } catch {
      return token;
    }
  });
}

/** The `parameters` of the sweep's body (rows without a path are left out; a range's empty bound is sent as NaN → null, which the API names). */
export function parametersOf(rows: ParameterRow[]): Record<string, ParameterSpec> {
  const parameters: Record<string, ParameterSpec> = {};
  for (const row of rows) {
    const path = row.path.trim();
    if (path === '') continue;
    const range: [number, number] = [bound(row.low), bound(row.high)];
    parameters[path] = row.kind === 'values' ? { values: parseValues(row.values) } : ({ [row.kind]: range } as ParameterSpec);
  }
  return parameters;
}

function bound(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

/**
 * The API's details for the form: `parameters.<path>…` stays (its row carries that path); `trials[i].<rest>`, a
 * problem of trial i's job, goes to the parameter whose path `rest` starts with (`model.layers[1].units` is
 * `model.layers.1.units`), else to the base job, its message saying which trial.
 */
export function placeDetails(details: ErrorDetail[], parameterPaths: string[]): ErrorDetail[] {
  return details.map((detail) => {
    const match = /^trials\[(\d+)\]\.?(.*)$/.exec(detail.path ?? '');
    if (match === null) return detail;
    const [, index, rest] = match;
    const dotted = rest.replace(/\[(\d+)\]/g, '.$1');
    const parameter = parameterPaths.find((path) => dotted === path || dotted.startsWith(`${path}.`));
    const message = `trial ${index}${rest ? ` (${rest})` : ''}: ${detail.message}`;
    return { ...detail, path: parameter === undefined ? (rest ? `base.${rest}` : 'base') : `parameters.${parameter}`, message };
  });
}
