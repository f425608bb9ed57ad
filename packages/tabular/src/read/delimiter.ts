export type Delimiter = ',' | ';' | '\t' | '|';

const CANDIDATES: Delimiter[] = [',', ';', '\t', '|'];
/** Lines of the sample that vote; enough to see a pattern, few enough to stay cheap. */
const SAMPLE_LINES = 50;

/**
 * The delimiter whose count outside quotes is the same on the most sample lines as on the header, ties
 * to the one that splits the header more, then to the earlier candidate; ',' when none splits the header.
 * `sample` is the start of the file; its last line is dropped when the sample was cut short.
 */
export function detectDelimiter(sample: string, complete: boolean): Delimiter {
  const lines = countPerLine(sample, complete);
  let best: Delimiter = ',';
  let bestAgreeing = -1;
  let bestWidth = 0;
  CANDIDATES.forEach((delimiter, d) => {
    const width = lines[0]?.[d] ?? 0;
    if (width === 0) return;
    const agreeing = lines.filter((counts) => counts[d] === width).length;
    if (agreeing > bestAgreeing || (agreeing === bestAgreeing && width > bestWidth)) {
      best = delimiter;
      bestAgreeing = agreeing;
      bestWidth = width;
    }
  });
  return best;
}

/** Each line's count of every candidate outside double quotes; a quoted field may span lines. */
function countPerLine(sample: string, complete: boolean): number[][] {
  const lines: number[][] = [];
  let counts = [0, 0, 0, 0];
  let quoted = false;
  let blank = true;
  for (let i = 0; i < sample.length && lines.length < SAMPLE_LINES; i++) {
    const char = sample[i];
    if (char === '"') quoted = !quoted; // an escaped "" toggles twice
    else if (!quoted && (char === '\n' || char === '\r')) {
      if (!blank) lines.push(counts);
      counts = [0, 0, 0, 0];
      blank = true;
      continue;
    } else if (!quoted) {
      const d = CANDIDATES.indexOf(char as Delimiter);
      if (d >= 0) counts[d]++;
    }
    blank = false;
  }
  if (!blank && (complete || lines.length === 0)) lines.push(counts);
  return lines;
}
