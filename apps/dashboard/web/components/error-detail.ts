import type { ErrorDetail } from '@trainyard/client';

/**
 * One problem of an API error, for a person. Data problems come summarised per column and kind:
 * `column "mass": 396 values are not numbers (rows 1, 2, 5, …)`; schema problems name their path.
 * Beside the column it concerns, `named: false` leaves the column's name out.
 */
export function describeDetail(detail: ErrorDetail, options: { named?: boolean } = {}): string {
  const where = detail.column !== undefined && detail.column !== '' ? (options.named === false ? '' : `column "${detail.column}"`) : detail.path;
  const examples = detail.examples ?? [];
  if (detail.count !== undefined && !(detail.count === 1 && examples.length <= 1)) {
    const rows = examples.length === 0 ? '' : ` (${examples.length === 1 ? 'row' : 'rows'} ${examples.join(', ')}${detail.count > examples.length ? ', …' : ''})`;
    return `${where ? `${where}: ` : ''}${detail.count} ${detail.message}${rows}`;
  }
  const row = detail.row ?? examples[0];
  const place = [row !== undefined ? `row ${row}` : undefined, where].filter(Boolean).join(', ');
  return `${place ? `${place}: ` : ''}${detail.message}`;
}
