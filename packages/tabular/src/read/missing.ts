/** Text that means "no value" in CSV, JSON and JSON Lines cells (compared trimmed, in any case). */
const MISSING_TOKENS = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?']);
const LONGEST_TOKEN = 4;

/** A text cell as read: null when it is empty or a missing-value token, else the text unchanged. */
export function textCell(text: string): string | null {
  const trimmed = text.trim();
  return trimmed.length <= LONGEST_TOKEN && MISSING_TOKENS.has(trimmed.toLowerCase()) ? null : text;
}
