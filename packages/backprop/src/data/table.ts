import type { Dataset, Task } from '../dataset.ts';
import { DatasetError, type DatasetIssue } from './dataset-error.ts';

export interface ParseOptions {
  /** The label column's name. */
  target: string;
  task: Task;
  maxRows?: number;
  maxColumns?: number;
}

/** More issues than this are summarised, so an error body stays readable. */
const MAX_REPORTED_ISSUES = 20;
/** Stop scanning a hopeless file early; the count reported is then a lower bound. */
const MAX_COLLECTED_ISSUES = 1000;

/** A table of cells (header + rows) → the engine's numeric form. */
export function tableToDataset(header: string[], rows: unknown[][], options: ParseOptions): Dataset {
  checkHeader(header, options);
  if (rows.length === 0) throw new DatasetError('invalid_dataset', 'the dataset has a header but no data rows');
  if (options.maxRows !== undefined && rows.length > options.maxRows) {
    throw new DatasetError('invalid_dataset', `the dataset has more than ${options.maxRows} rows, the limit (maxDatasetRows)`);
  }
  const targetIndex = header.indexOf(options.target);
  const features = header.filter((_, i) => i !== targetIndex);
  const x = new Float32Array(rows.length * features.length);
  const labels: string[] = [];
  const issues: DatasetIssue[] = [];
  const width = features.length;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (row.length !== header.length) {
      issues.push({ row: r + 1, message: `has ${row.length} fields; the header has ${header.length}` });
      labels.push('');
      continue;
    }
    let offset = r * width;
    for (let c = 0; c < row.length; c++) {
      const cell = row[c];
      if (c === targetIndex) {
        const label = cellText(cell);
        if (label === '') issues.push({ row: r + 1, column: options.target, message: 'the target is missing' });
        labels.push(label);
        continue;
      }
      const value = cellNumber(cell);
      if (value === null) issues.push({ row: r + 1, column: header[c], message: `${JSON.stringify(cell)} is not a finite number` });
      else x[offset] = value;
      offset++;
    }
    if (issues.length > MAX_COLLECTED_ISSUES) break;
  }
  if (issues.length > 0) {
    const shown = issues.slice(0, MAX_REPORTED_ISSUES);
    const first = shown[0];
    const where = first.column ? `row ${first.row}, column "${first.column}"` : `row ${first.row}`;
    const count = issues.length > MAX_COLLECTED_ISSUES ? `over ${MAX_COLLECTED_ISSUES}` : String(issues.length);
    throw new DatasetError('invalid_dataset', `${count} problem(s); first at ${where}: ${first.message}`, shown);
  }
  return options.task === 'classification'
    ? classification(features, options.target, rows.length, x, labels)
    : regression(features, options.target, rows.length, x, labels);
}

function checkHeader(header: string[], options: ParseOptions): void {
  if (header.length === 0) throw new DatasetError('malformed_dataset', 'the dataset is empty: no header row');
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name.trim() === '') throw new DatasetError('invalid_dataset', `column ${i + 1} has an empty name`, [{ column: name, message: 'empty column name' }]);
    if (seen.has(name)) throw new DatasetError('invalid_dataset', `column "${name}" appears twice in the header`, [{ column: name, message: 'duplicate column' }]);
    seen.add(name);
  });
  if (options.maxColumns !== undefined && header.length > options.maxColumns) {
    throw new DatasetError('invalid_dataset', `the dataset has ${header.length} columns; the limit (maxDatasetColumns) is ${options.maxColumns}`);
  }
  if (!seen.has(options.target)) {
    throw new DatasetError('invalid_dataset', `target column "${options.target}" is not in the header (${header.join(', ')})`, [
      { column: options.target, message: 'unknown target column' },
    ]);
  }
  if (header.length < 2) throw new DatasetError('invalid_dataset', 'the dataset has no feature columns besides the target');
}

function cellText(cell: unknown): string {
  if (typeof cell === 'string') return cell.trim();
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  return '';
}

function cellNumber(cell: unknown): number | null {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  if (typeof cell !== 'string') return null;
  // Number() ignores surrounding white space but reads '' and '  ' as 0: those are missing values.
  const value = Number(cell);
  if (value === 0 && cell.trim() === '') return null;
  return Number.isFinite(value) ? value : null;
}

function classification(features: string[], target: string, rows: number, x: Float32Array, labels: string[]): Dataset {
  const classes = [...new Set(labels)].sort(compareLabels);
  if (classes.length < 2) throw new DatasetError('invalid_dataset', `classification needs at least 2 classes in "${target}"; found ${classes.length}`);
  const index = new Map(classes.map((label, i) => [label, i]));
  const y = Float32Array.from(labels, (label) => index.get(label)!);
  return { task: 'classification', features, target, rows, x, y, classes };
}

function regression(features: string[], target: string, rows: number, x: Float32Array, labels: string[]): Dataset {
  const y = new Float32Array(rows);
  const issues: DatasetIssue[] = [];
  labels.forEach((label, r) => {
    const value = cellNumber(label);
    if (value === null) issues.push({ row: r + 1, column: target, message: `${JSON.stringify(label)} is not a finite number` });
    else y[r] = value;
  });
  if (issues.length > 0) {
    throw new DatasetError('invalid_dataset', `regression targets must be numbers; ${issues.length} are not (first at row ${issues[0].row})`, issues.slice(0, MAX_REPORTED_ISSUES));
  }
  return { task: 'regression', features, target, rows, x, y };
}

/** Numbers in numeric order, then text in code-point order. */
function compareLabels(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  const aNumeric = a !== '' && Number.isFinite(na);
  const bNumeric = b !== '' && Number.isFinite(nb);
  if (aNumeric && bNumeric) return na - nb;
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
