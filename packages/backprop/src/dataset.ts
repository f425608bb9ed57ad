import type { OneHotBlock } from './one-hot.ts';

export type Task = 'classification' | 'regression';

/**
 * How raw columns became the engine's inputs (fitted by @trainyard/tabular, opaque to the engine but for
 * `target`): kept with the weights so any client can encode raw rows the same way.
 */
export interface Preprocessing {
  columns: object[];
  /** Names of the encoded inputs, in order: one per input of the first layer. */
  inputs: string[];
  /** Regression targets standardised for training: y = (target − mean) / std. */
  target?: { mean: number; std: number };
}

/**
 * A dataset in the engine's terms. x: rows×features (row-major);
 * y: rows entries, the class index (classification) or the target value (regression).
 */
export interface Dataset {
  task: Task;
  features: string[];
  target: string;
  rows: number;
  x: Float32Array;
  y: Float32Array;
  /** Class labels in index order (classification only). */
  classes?: string[];
  /** Rows to train and validate on (indices into x); default: a seeded split by validationSplit. Others are never touched. */
  split?: { train: Uint32Array; validation: Uint32Array };
  /** Per-row weights of the loss (class weights); default: every row weighs 1. */
  weights?: Float32Array;
  /**
   * One-hot blocks given as codes instead of columns of x: each block covers `levels` inputs from
   * `offset` (in `features` order) and codes[b] holds one int32 per row (−1: none). x then holds only
   * the other inputs, rows × (features − Σ levels), in order. Training equals training on the
   * materialised one-hot x (within GEMM rounding) without building it; needs normalization off.
   */
  oneHot?: { blocks: OneHotBlock[]; codes: Int32Array[] };
  /** The encoding that produced x (and y's standardisation), saved with the weights. */
  preprocessing?: Preprocessing;
}
