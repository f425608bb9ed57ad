/** A markdown table with right-aligned cells, ready for the README. */
export function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const [i, row] of rows.entries()) {
    console.log(`| ${row.map((cell, c) => cell.padStart(widths[c])).join(' | ')} |`);
    if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 1) + ':').join('|')}|`);
  }
}

/** A rate as a table cell: thousands separated, '-' when not measured, 'failed' when the run failed. */
export function rate(value: number | null | undefined): string {
  if (value === undefined) return '-';
  if (value === null) return 'failed';
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
}

export function ratio(ours: number, theirs: number): string {
  return ours > 0 && theirs > 0 ? `${(ours / theirs).toFixed(2)}×` : 'n/a';
}
