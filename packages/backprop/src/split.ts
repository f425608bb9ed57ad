import { Rng } from './rng.ts';

/** A seed offset so the split does not share a stream with initialisation and shuffling. */
const SPLIT_STREAM = 0x5eed5eed;

/** Deterministic hold-out: a seeded permutation, the last ⌊split·rows⌋ rows for validation. */
export function splitRows(rows: number, validationSplit: number, seed: number): { train: Uint32Array; validation: Uint32Array } {
  const order = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  const held = Math.min(rows - 1, Math.floor(validationSplit * rows));
  if (held <= 0) return { train: order, validation: new Uint32Array(0) };
  new Rng((seed ^ SPLIT_STREAM) >>> 0).shuffle(order);
  return { train: order.slice(0, rows - held), validation: order.slice(rows - held) };
}
