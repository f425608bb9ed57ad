import { DatasetError } from '@trainyard/backprop';
import { IssueCollector } from '../issues.ts';
import type { RawColumn, RawTable } from '../read/raw-table.ts';
import type { ColumnOverride, ColumnProfile, ColumnType, CodedColumn, TypedColumn, TypedTable } from '../table.ts';
import { buildColumn } from './build-column.ts';
import { textOf } from './cells.ts';
import { inferType } from './infer-type.ts';
import { profileColumn } from './profile.ts';

export type Task = 'classification' | 'regression';

export interface TypingOptions {
  target: string;
  task?: Task;
  columns?: Record<string, ColumnOverride>;
  /** Distinct strings up to which a column is a category (TRAINYARD_MAX_CATEGORIES); more make it text. */
  maxCategories: number;
}

/** A file's table as a dataset: typed columns, their profile, the task and the target's classes. */
export interface TypedDataset {
  table: TypedTable;
  profile: ColumnProfile[];
  task: Task;
  target: string;
  /** Feature columns in file order: neither the target, nor ignored, nor text (kept, not used). */
  features: string[];
  classes?: string[];
  rowsWithoutTarget: number;
}

/** Above this many distinct values (or with any fraction) a number target is regression when no task is given. */
const CLASSIFICATION_MAX_DISTINCT = 20;

/**
 * Types every column of a raw table from all of its values (or as `columns` forces), and reads the target:
 * classification labels are its values as text, classes sorted numbers first; regression needs numbers.
 * Rows whose target is missing stay (counted in rowsWithoutTarget). Problems answer DatasetError
 * 'invalid_dataset', summarised per column and kind with counts and example rows.
 */
export function typeTable(raw: RawTable, options: TypingOptions): TypedDataset {
  const overrides = options.columns ?? {};
  checkNames(raw, options.target, overrides);
  const issues = new IssueCollector();
  const types = raw.columns.map((column) => {
    const forced = overrides[column.name];
    return forced !== undefined && forced !== 'ignore' ? forced : inferType(column.cells, options.maxCategories);
  });
  const targetIndex = raw.columns.findIndex((column) => column.name === options.target);
  const targetType = types[targetIndex];
  const task = options.task ?? inferTask(raw.columns[targetIndex], targetType);
  if (task === 'regression' && targetType !== 'number') {
    throw new DatasetError('invalid_dataset', `a regression target must be numbers; column "${options.target}" is ${targetType}`, [
      { column: options.target, message: `is ${targetType}, not number` },
    ]);
  }
  const columns: TypedColumn[] = raw.columns.map((column, i) => {
    const forced = overrides[column.name] !== undefined && overrides[column.name] !== 'ignore';
    if (i === targetIndex && task === 'classification') return labels(column);
    return buildColumn(column.name, types[i], column.cells, issues, forced);
  });
  issues.throwIfAny('invalid_dataset', 'some values do not fit their column\'s type');

  const target = columns[targetIndex];
  const rowsWithoutTarget = countMissing(target);
  const dataset: TypedDataset = {
    table: { rows: raw.rows, columns },
    profile: columns.map((column, i) => profileColumn(column, i === targetIndex ? 'target' : roleOf(column, overrides), types[i])),
    task,
    target: options.target,
    features: columns.filter((column, i) => i !== targetIndex && roleOf(column, overrides) === 'feature').map((column) => column.name),
    rowsWithoutTarget,
  };
  if (task === 'classification') {
    dataset.classes = (target as CodedColumn).dictionary;
    if (dataset.classes.length < 2) {
      throw new DatasetError('invalid_dataset', `classification needs at least 2 classes in "${options.target}"; it has ${dataset.classes.length}`, [
        { column: options.target, message: `has ${dataset.classes.length} distinct value(s)` },
      ]);
    }
  }
  if (rowsWithoutTarget === raw.rows) {
    throw new DatasetError('invalid_dataset', `every row's target "${options.target}" is missing`, [{ column: options.target, message: 'has no value in any row' }]);
  }
  return dataset;
}

function checkNames(raw: RawTable, target: string, overrides: Record<string, ColumnOverride>): void {
  const names = new Set(raw.columns.map((column) => column.name));
  if (!names.has(target)) {
    throw new DatasetError('invalid_dataset', `target column "${target}" is not in the table (${[...names].slice(0, 30).join(', ')})`, [
      { column: target, message: 'unknown target column' },
    ]);
  }
  const unknown = Object.keys(overrides).filter((name) => !names.has(name));
  if (unknown.length > 0) {
    throw new DatasetError('invalid_dataset', `columns names columns the table does not have: ${unknown.join(', ')}`,
      unknown.map((column) => ({ column, message: 'unknown column in the type overrides' })));
  }
  if (overrides[target] === 'ignore') {
    throw new DatasetError('invalid_dataset', `the target column "${target}" cannot be ignored`, [{ column: target, message: 'is the target' }]);
  }
  if (raw.columns.length < 2) throw new DatasetError('invalid_dataset', 'the table has no feature columns besides the target');
}

/** Without a task: a number target with more than 20 distinct values, or any fraction, is regression. */
function inferTask(column: RawColumn, type: ColumnType): Task {
  if (type !== 'number') return 'classification';
  const distinct = new Set<number>();
  for (const cell of column.cells) {
    const text = textOf(cell);
    if (text === null) continue;
    const value = Number(text);
    if (!Number.isInteger(value)) return 'regression';
    distinct.add(value);
    if (distinct.size > CLASSIFICATION_MAX_DISTINCT) return 'regression';
  }
  return 'classification';
}

/** A classification target: its values as text, the dictionary its classes sorted (codes are class indices). */
function labels(column: RawColumn): CodedColumn {
  const texts = column.cells.map(textOf);
  const classes = [...new Set(texts.filter((t): t is string => t !== null))].sort(compareLabels);
  const index = new Map(classes.map((label, i) => [label, i]));
  return { name: column.name, type: 'category', codes: Int32Array.from(texts, (t) => (t === null ? -1 : index.get(t)!)), dictionary: classes };
}

function roleOf(column: TypedColumn, overrides: Record<string, ColumnOverride>): 'feature' | 'ignored' {
  return overrides[column.name] === 'ignore' || column.type === 'text' ? 'ignored' : 'feature';
}

function countMissing(column: TypedColumn): number {
  let missing = 0;
  if ('values' in column) for (const v of column.values) missing += Number.isNaN(v) ? 1 : 0;
  else for (const c of column.codes) missing += c < 0 ? 1 : 0;
  return missing;
}

/** Numbers in numeric order, then text in code-point order (as the engine orders a dataset's classes). */
export function compareLabels(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  const aNumeric = a !== '' && Number.isFinite(na);
  const bNumeric = b !== '' && Number.isFinite(nb);
  if (aNumeric && bNumeric) return na - nb || (a < b ? -1 : a > b ? 1 : 0);
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
