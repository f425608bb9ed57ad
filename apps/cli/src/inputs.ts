// Rows for `trainyard predict`, read from a JSON or CSV file into feature order.

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/**
 * JSON: `[[...], ...]`, `{ "inputs": [[...]] }`, or `[{ "<feature>": value, ... }]` (needs `features`).
 * CSV: numeric rows; a first row that is not numeric is a header, and columns are then taken by feature
 * name (others, such as the label column, are ignored). Every row must have one value per feature.
 */
export function parseInputs(text: string, format: 'json' | 'csv', features: string[] | null): number[][] {
  const rows = format === 'json' ? fromJson(text, features) : fromCsv(text, features);
  if (rows.length === 0) throw new InputError('no input rows');
  rows.forEach((row, index) => {
    if (features !== null && row.length !== features.length) {
      throw new InputError(`row ${index + 1} has ${row.length} values; the dataset has ${features.length} features`);
    }
  });
  return rows;
}

export function formatOf(fileName: string): 'json' | 'csv' {
  return fileName.toLowerCase().endsWith('.json') ? 'json' : 'csv';
}

function fromJson(text: string, features: string[] | null): number[][] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`not valid JSON: ${(error as Error).message}`);
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'inputs' in value) value = value.inputs;
  if (!Array.isArray(value)) throw new InputError('expected an array of rows, or { "inputs": [...] }');
  return value.map((row: unknown, index) => {
    if (Array.isArray(row)) return row.map((cell, column) => number(cell, index + 1, column + 1));
    if (row !== null && typeof row === 'object') {
      if (features === null) throw new InputError('rows given as objects need the dataset\'s feature names');
      const record = row as Record<string, unknown>;
      return features.map((name) => {
        if (!(name in record)) throw new InputError(`row ${index + 1} has no "${name}"`);
        return number(record[name], index + 1, name);
      });
    }
    throw new InputError(`row ${index + 1} is neither an array nor an object`);
  });
}

function fromCsv(text: string, features: string[] | null): number[][] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length === 0) return [];
  const first = splitCsvLine(lines[0]);
  const hasHeader = first.some((cell) => cell.trim() === '' || !Number.isFinite(Number(cell)));
  if (!hasHeader) return lines.map((line, index) => splitCsvLine(line).map((cell, column) => number(cell, index + 1, column + 1)));
  if (features === null) throw new InputError('a CSV header needs the dataset\'s feature names');
  const header = first.map((cell) => cell.trim());
  const columns = features.map((name) => {
    const column = header.indexOf(name);
    if (column < 0) throw new InputError(`the CSV header has no column "${name}"`);
    return column;
  });
  return lines.slice(1).map((line, index) => {
    const cells = splitCsvLine(line);
    return columns.map((column, feature) => number(cells[column], index + 1, features[feature]));
  });
}

/** Commas, with double-quoted cells that may contain commas and "" escapes. */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells;
}

function number(value: unknown, row: number, column: number | string): number {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(parsed)) throw new InputError(`row ${row}, column ${column}: ${JSON.stringify(value) ?? 'nothing'} is not a number`);
  return parsed;
}
