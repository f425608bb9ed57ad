import { DatasetError, type DatasetIssue } from '@trainyard/backprop';

/** A summary lists at most this many problems, and this many example rows for each. */
const MAX_ENTRIES = 20;
const MAX_EXAMPLES = 10;

/**
 * Collects problems cell by cell and reports them per column and kind of problem, biggest first:
 * "column X: 396 values are not numbers (rows 1, 2, 5, …)" instead of 396 entries.
 */
export class IssueCollector {
  private readonly groups = new Map<string, { column?: string; message: string; count: number; examples: number[] }>();

  /** `message` names the kind of problem (it is the grouping key with the column), `row` is 1-based. */
  add(column: string | undefined, message: string, row?: number): void {
    const key = `${column ?? ''}\u0000${message}`;
    let group = this.groups.get(key);
    if (group === undefined) {
      group = { ...(column === undefined ? {} : { column }), message, count: 0, examples: [] };
      this.groups.set(key, group);
    }
    group.count++;
    if (row !== undefined && group.examples.length < MAX_EXAMPLES) group.examples.push(row);
  }

  get size(): number {
    return this.groups.size;
  }

  /** Entries biggest first, at most 20, each with its first row as `row`. */
  summary(): DatasetIssue[] {
    return [...this.groups.values()]
      .sort((a, b) => b.count - a.count)
      .slice(0, MAX_ENTRIES)
      .map((g) => ({ ...(g.column === undefined ? {} : { column: g.column }), ...(g.examples.length ? { row: g.examples[0] } : {}), message: g.message, count: g.count, examples: g.examples }));
  }

  /** Throws DatasetError(code) summarising everything collected; does nothing when there is nothing. */
  throwIfAny(code: DatasetError['code'], what: string): void {
    if (this.groups.size === 0) return;
    const details = this.summary();
    const first = details[0];
    const where = first.column === undefined ? '' : `column "${first.column}": `;
    const rows = first.examples?.length ? ` (rows ${first.examples.join(', ')}${(first.count ?? 0) > first.examples.length ? ', …' : ''})` : '';
    throw new DatasetError(code, `${what}: ${where}${first.count} ${first.message}${rows}`, details);
  }
}
