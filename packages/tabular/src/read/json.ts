import { DatasetError } from '@trainyard/backprop';
import { ObjectRows } from './object-rows.ts';
import { unreadable, type RawTable, type ReadLimits } from './raw-table.ts';

/** A JSON document that is an array of objects, one per row. */
export function readJson(bytes: Uint8Array, limits: ReadLimits): RawTable {
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder().decode(bytes)); // TextDecoder drops a UTF-8 BOM
  } catch (error) {
    throw unreadable('json', error instanceof Error ? error.message : String(error));
  }
  if (!Array.isArray(document)) {
    throw new DatasetError('invalid_dataset', `a JSON dataset is an array of objects, one per row; this document is ${kind(document)}`);
  }
  const table = new ObjectRows('json', limits);
  for (const row of document) {
    if (table.full) break;
    table.add(row);
  }
  return table.finish();
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
