import { DatasetError } from '@trainyard/backprop';
import { isNumeric, type ColumnType, type TypedColumn } from './table.ts';

/** A column as one stored record: float64 (number, datetime) or int32 codes (the rest), little-endian. */
export interface StoredColumn {
  name: string;
  type: ColumnType;
  data: Uint8Array;
  dictionary: string[] | null;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

export function encodeColumn(column: TypedColumn): StoredColumn {
  if (isNumeric(column)) return { name: column.name, type: column.type, data: littleEndian(column.values, 8), dictionary: null };
  return { name: column.name, type: column.type, data: littleEndian(column.codes, 4), dictionary: [...column.dictionary] };
}

/** The stored record back into a column of `rows` values; sizes and codes are checked. */
export function decodeColumn(stored: StoredColumn, rows: number): TypedColumn {
  const { name, type, data, dictionary } = stored;
  const bad = (why: string) => new DatasetError('invalid_dataset', `stored column "${name}" is damaged: ${why}`);
  if (type === 'number' || type === 'datetime') {
    if (data.byteLength !== rows * 8) throw bad(`${data.byteLength} bytes for ${rows} float64 values`);
    const values = new Float64Array(rows);
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (let i = 0; i < rows; i++) values[i] = view.getFloat64(i * 8, true);
    return { name, type, values };
  }
  if (dictionary === null) throw bad('a coded column without its dictionary');
  if (data.byteLength !== rows * 4) throw bad(`${data.byteLength} bytes for ${rows} int32 codes`);
  const codes = new Int32Array(rows);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < rows; i++) {
    const code = view.getInt32(i * 4, true);
    if (code < -1 || code >= dictionary.length) throw bad(`row ${i + 1} has code ${code}; the dictionary has ${dictionary.length} values`);
    codes[i] = code;
  }
  return { name, type, codes, dictionary: [...dictionary] };
}

function littleEndian(values: Float64Array | Int32Array, width: 4 | 8): Uint8Array {
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  const out = new Uint8Array(values.length * width);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => (width === 8 ? view.setFloat64(i * 8, v, true) : view.setInt32(i * 4, v, true)));
  return out;
}
