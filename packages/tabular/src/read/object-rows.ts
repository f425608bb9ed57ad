import { DatasetError } from '@trainyard/backprop';
import { IssueCollector } from '../issues.ts';
import { textCell } from './missing.ts';
import { checkHeader, checkWidth, rawTable, rowBudget, type RawCell, type RawColumn, type RawFormat, type RawTable, type ReadLimits } from './raw-table.ts';

/**
 * Rows of objects into columns: the header is the union of keys in first-seen order, an absent key is a
 * missing cell, a nested object or array is invalid_dataset (summarised per column with its rows).
 */
export class ObjectRows {
  private readonly index = new Map<string, RawColumn>();
  private readonly columns: RawColumn[] = [];
  private readonly problems = new IssueCollector();
  private rows = 0;

  constructor(private readonly format: RawFormat, private readonly limits: ReadLimits) {}

  /** Whether another row may be added: reading stops after maxRows + 1 rows. */
  get full(): boolean {
    return this.rows >= rowBudget(this.limits);
  }

  add(value: unknown): void {
    const row = this.rows++;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.problems.add(undefined, `rows are not objects (${describe(value)})`, row + 1);
    } else {
      for (const [key, cell] of Object.entries(value)) this.column(key, row).cells.push(this.cell(key, cell, row));
    }
    for (const column of this.columns) if (column.cells.length === row) column.cells.push(null);
  }

  finish(): RawTable {
    this.problems.throwIfAny('invalid_dataset', 'the rows cannot be a table');
    checkHeader(this.columns.map((c) => c.name), this.limits);
    return rawTable(this.format, this.rows, this.columns);
  }

  /** The key's column, created with missing cells for the rows before this one. */
  private column(key: string, row: number): RawColumn {
    let column = this.index.get(key);
    if (column === undefined) {
      checkWidth(this.columns.length + 1, this.limits);
      column = { name: key, cells: new Array<RawCell>(row).fill(null) };
      this.index.set(key, column);
      this.columns.push(column);
    }
    return column;
  }

  private cell(key: string, value: unknown, row: number): RawCell {
    switch (typeof value) {
      case 'string':
        return textCell(value);
      case 'number':
        return Number.isNaN(value) ? null : value;
      case 'boolean':
        return value;
      case 'bigint':
        return Number(value);
      case 'undefined':
        return null;
      default:
        if (value === null) return null;
        if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
        this.problems.add(key, 'cells hold nested objects or arrays', row + 1);
        return null;
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** A JSON body whose rows were already parsed: an array of objects. */
export function rawTableFromObjects(rows: unknown[], limits: ReadLimits = {}): RawTable {
  if (!Array.isArray(rows)) throw new DatasetError('invalid_dataset', 'the rows must be an array of objects');
  const table = new ObjectRows('json', limits);
  for (const row of rows) {
    if (table.full) break;
    table.add(row);
  }
  return table.finish();
}
