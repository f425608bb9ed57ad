import { Rng } from '@trainyard/backprop';

/** Row indices (into the labelled rows) of each part, ascending. */
export interface Split {
  train: Uint32Array;
  validation: Uint32Array;
  test: Uint32Array;
}

export interface SplitOptions {
  rows: number;
  /** Class index per row: the split is stratified by it. Absent (regression): one stratum. */
  classes?: ArrayLike<number>;
  testSplit: number;
  validationSplit: number;
  seed: number;
}

/** A seed offset so the split does not share a stream with initialisation and shuffling (as the engine's own split). */
const SPLIT_STREAM = 0x5eed5eed;

/**
 * Deterministic, stratified hold-outs: ⌈testSplit·rows⌉ rows for test first, then ⌈validationSplit·rest⌉ for
 * validation, each shared among the classes in proportion to their counts (largest remainder), rows drawn
 * from a seeded shuffle of each class. A part that would leave no training row is empty.
 */
export function splitRows(options: SplitOptions): Split {
  const strata = stratify(options.rows, options.classes);
  const rng = new Rng((options.seed ^ SPLIT_STREAM) >>> 0);
  for (const stratum of strata) rng.shuffle(stratum);
  const test = take(strata, heldCount(options.rows, options.testSplit));
  const remaining = options.rows - test.length;
  const validation = take(strata, heldCount(remaining, options.validationSplit));
  const train = sorted(strata.flatMap((stratum) => Array.from(stratum)));
  return { train, validation, test };
}

/** How many of `rows` a fraction holds out: ⌈fraction·rows⌉, or 0 when no row would remain. */
export function heldCount(rows: number, fraction: number): number {
  if (!(fraction > 0)) return 0;
  // The tolerance keeps float error from rounding 0.07·100 = 7.000000000000001 up to 8.
  const held = Math.ceil(fraction * rows - 1e-9);
  return held < rows ? held : 0;
}

function stratify(rows: number, classes: ArrayLike<number> | undefined): Uint32Array[] {
  if (classes === undefined) return [Uint32Array.from({ length: rows }, (_, i) => i)];
  const members: number[][] = [];
  for (let row = 0; row < rows; row++) (members[classes[row]] ??= []).push(row);
  return members.filter((m) => m !== undefined).map((m) => Uint32Array.from(m));
}

/**
 * Removes `count` rows from the front of the strata, shared in proportion to the strata's sizes (largest
 * remainder, ties to the earlier stratum), and returns them ascending. The strata keep the rest.
 */
function take(strata: Uint32Array[], count: number): Uint32Array {
  const total = strata.reduce((sum, s) => sum + s.length, 0);
  if (count === 0 || total === 0) return new Uint32Array(0);
  const exact = strata.map((s) => (count * s.length) / total);
  const quota = exact.map(Math.floor);
  let left = count - quota.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left === 0) break;
    if (quota[i] < strata[i].length) {
      quota[i]++;
      left--;
    }
  }
  // Copied, not spread: a spread of a few hundred thousand rows (one regression stratum) overflows the stack.
  const taken = new Uint32Array(quota.reduce((a, b) => a + b, 0));
  let filled = 0;
  strata.forEach((stratum, i) => {
    taken.set(stratum.subarray(0, quota[i]), filled);
    filled += quota[i];
    strata[i] = stratum.slice(quota[i]);
  });
  return taken.sort();
}

function sorted(values: ArrayLike<number>): Uint32Array {
  return Uint32Array.from(values).sort();
}
