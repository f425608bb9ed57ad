// A seeded table with every column type, gaps in each, dates with times of day, and rows that training
// never saw: values unseen, missing in every way a file or a client writes it, other date formats.
import { Rng } from '@trainyard/backprop';
import type { RawRow } from './onnx-feeds.ts';

const COLOURS = ['red', 'green', 'blue', 'amber', 'violet'];
const START = Date.UTC(2015, 0, 1) / 1000;
const SPAN = 10 * 365 * 86_400;

export function mixedTable(rows = 300, seed = 11): RawRow[] {
  const rng = new Rng(seed);
  const gap = <T>(value: T): T | null => (rng.next() < 0.1 ? null : value);
  return Array.from({ length: rows }, (_, i) => {
    const size = 10 + 3 * rng.gaussian();
    const colour = COLOURS[Math.floor(rng.next() * COLOURS.length)];
    const fresh = rng.next() < 0.6;
    const seen = START + Math.floor(rng.next() * SPAN);
    const day = START + Math.floor(rng.next() * 3650) * 86_400;
    const weight = 50 + 20 * rng.next();
    const score = size / 4 + (fresh ? 1 : -1) + COLOURS.indexOf(colour) / 2 + Math.sin((2 * Math.PI * seen) / 86_400) + rng.gaussian() / 2;
    return {
      size: gap(size),
      weight,
      fresh: gap(fresh),
      organic: rng.next() < 0.5,
      colour: gap(colour),
      shape: rng.next() < 0.5 ? 'round' : 'square',
      seen: gap(new Date(seen * 1000).toISOString()),
      day: new Date(day * 1000).toISOString().slice(0, 10),
      note: `row ${i} ${rng.next().toString(36).slice(2, 8)}`,
      kind: score < 4.5 ? 'low' : score < 6 ? 'mid' : 'high',
      amount: 3 * score + 0.1 * weight,
    };
  });
}

/** Rows no training row looks like: each column missing or unusual in turn. */
export const UNUSUAL_ROWS: RawRow[] = [
  {},
  { size: null, weight: null, fresh: null, organic: null, colour: null, shape: null, seen: null, day: null },
  { size: 'NA', weight: '', fresh: 'N/A', organic: '?', colour: 'NA', shape: 'none', seen: '', day: 'null' },
  { size: 12.5, weight: 60, fresh: true, organic: false, colour: 'mauve', shape: 'hexagon', seen: '2021-03-04T05:06:07Z', day: '2020-02-29' },
  { size: ' 3.5 ', weight: '55', fresh: 'yes', organic: 'no', colour: ' blue ', shape: 'round', seen: '2021/03/04 05:06', day: 'Jun 12 1998' },
  { size: -40, weight: 1e4, fresh: 1, organic: 0, colour: 7, shape: 'square', seen: '2020-02-29T23:59:59+02:00', day: '1900-01-01' },
  { size: 0, weight: 0, fresh: false, organic: true, colour: 'Red', shape: 'ROUND', seen: '2100-12-31T12:00:00Z', day: '2100-12-31' },
  { size: 1e-7, weight: 50, fresh: 'TRUE', organic: 'False', colour: 'green', shape: 'square', seen: '1970-01-01T00:00:00Z', day: '1970-01-01' },
  { size: 10, weight: 50, colour: 'amber', seen: '2019-06-30T23:59:59.999Z', day: '2019-06-30', kind: 'ignored', amount: 'ignored', note: 'ignored' },
];
