import type { ColumnProfile, Dataset } from '@trainyard/client';
import { formatNumber, formatTable } from './table.ts';

/** Top values shown per column; the rest are counted in DISTINCT. */
const SHOWN_TOP_VALUES = 3;
const SHOWN_NAMES = 12;
const SECONDS_PER_DAY = 86_400;

/** `datasets get`: what the dataset is, then one line per column of its profile (built-ins have none). */
export function describeDataset(dataset: Dataset): string {
  const facts: [string, string][] = [
    ['task', dataset.task],
    ['target', `${dataset.target}${dataset.classes ? ` (classes: ${dataset.classes.join(', ')})` : ''}`],
    ['rows', String(dataset.rows)],
  ];
  if (dataset.rowsWithoutTarget !== undefined) facts.push(['rows without target', `${dataset.rowsWithoutTarget}${dataset.rowsWithoutTarget > 0 ? ' (kept, not trained on)' : ''}`]);
  facts.push(['features', `${dataset.features.length}${dataset.columns ? '' : `: ${names(dataset.features)}`}`]);
  const width = Math.max(...facts.map(([name]) => name.length));
  const lines = [`${dataset.id}  ${dataset.name}`, ...facts.map(([name, value]) => `${name.padEnd(width)}  ${value}`)];
  if (dataset.columns) lines.push('', profileTable(dataset.columns));
  return lines.join('\n');
}

export function profileTable(columns: ColumnProfile[]): string {
  const rows = columns.map((column) => [column.name, column.type, column.role, String(column.missing), String(column.distinct), ...statistics(column), topValues(column)]);
  return formatTable(['COLUMN', 'TYPE', 'ROLE', 'MISSING', 'DISTINCT', 'MEAN', 'STD', 'MIN', 'MAX', 'TOP VALUES'], rows, { right: [3, 4] });
}

/** Mean, std, min, max; for datetime columns (Unix seconds) as dates and a std in days. */
function statistics(column: ColumnProfile): string[] {
  if (column.type !== 'datetime') return [column.mean, column.std, column.min, column.max].map(formatNumber);
  const days = column.std === undefined ? '-' : `${formatNumber(column.std / SECONDS_PER_DAY)} days`;
  return [formatTime(column.mean), days, formatTime(column.min), formatTime(column.max)];
}

function topValues(column: ColumnProfile): string {
  if (!column.topValues || column.topValues.length === 0) return '-';
  const shown = column.topValues.slice(0, SHOWN_TOP_VALUES).map(({ value, count }) => `${value} ${count}`);
  return `${shown.join(', ')}${column.distinct > shown.length ? ', …' : ''}`;
}

/** Unix seconds → an ISO date, with its time (to the second) unless it is midnight UTC. */
function formatTime(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '-';
  const iso = new Date(Math.round(seconds) * 1000).toISOString().replace('.000Z', 'Z');
  return iso.endsWith('T00:00:00Z') ? iso.slice(0, 10) : iso;
}

function names(list: string[]): string {
  return list.length > SHOWN_NAMES ? `${list.slice(0, SHOWN_NAMES).join(', ')}, … (${list.length})` : list.join(', ');
}
