import { Rng } from './rng.ts';

/** A seed offset so the split does not share a stream with initialisation and shuffling. */
const SPLIT_STREAM = 0x5eed5eed;

/**
 * Deterministic hold-out, taken before training: a seeded permutation of the row indices, the last
 * ⌈split·rows⌉ for validation. No validation at all when that would leave no training row.
 */
export function splitRows(rows: number, validationSplit: number, seed: number): { train: Uint32Array; validation: Uint32Array } {
  const order = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  const held = validationRowCount(rows, validationSplit);
  if (held === 0) return { train: order, validation: new Uint32Array(0) };
  new Rng((seed ^ SPLIT_STREAM) >>> 0).shuffle(order);
  return { train: order.slice(0, rows - held), validation: order.slice(rows - held) };
}

/** How many of `rows` the split holds out: ⌈split·rows⌉, or 0 when no training row would remain. */
export function validationRowCount(rows: number, validationSplit: number): number {
  if (!(validationSplit > 0)) return 0;
  // The tolerance keeps float error from rounding 0.07·100 = 7.000000000000001 up to 8.
  const held = Math.ceil(validationSplit * rows - 1e-9);
  return held < rows ? held : 0;
}
