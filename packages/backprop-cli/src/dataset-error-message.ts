import type { DatasetError, DatasetIssue } from '@trainyard/backprop';

/** Further problems named after the message (which already states the biggest one). */
const MORE_PROBLEMS = 4;

/**
 * A data error on one line: its message, then the next problems of its per-column summary, as the service's
 * 422 lists them: `…; column "b": 3 values are not numbers (rows 2, 5, 9)`. Details without a count only
 * repeat what the message says (unknown columns, a missing target) and are left out.
 */
export function describeDatasetError(error: DatasetError): string {
  const rest = error.details.slice(1).filter((detail) => detail.count !== undefined);
  const shown = rest.slice(0, MORE_PROBLEMS).map(describeIssue);
  if (rest.length > MORE_PROBLEMS) shown.push(`and ${rest.length - MORE_PROBLEMS} more`);
  return [error.message, ...shown].join('; ');
}

function describeIssue(issue: DatasetIssue): string {
  const where = issue.column === undefined ? '' : `column "${issue.column}": `;
  const examples = issue.examples ?? [];
  const rows = examples.length === 0 ? '' : ` (row${examples.length > 1 ? 's' : ''} ${examples.join(', ')}${(issue.count ?? 0) > examples.length ? ', …' : ''})`;
  return `${where}${issue.count} ${issue.message}${rows}`;
}
