import type { Kernel } from './kernels/kernel.ts';

/**
 * One-hot inputs of the first layer, never materialised: a category column enters as one int32 code
 * per row, and its block of `levels` input columns (starting at `offset` in the layer's input order)
 * goes through kernel.oneHotForward / oneHotBackward — the gather of W's column of that code, and
 * ∇W = δᵀ·a as a scatter-add of δ rows. A code outside [0, levels) (−1: missing) is an all-zero row.
 */
export interface OneHotBlock {
  /** The block's first input column. */
  offset: number;
  /** Its width: the category's levels, the "other" slot included when the preprocessing has one. */
  levels: number;
}

/** A zeroed int32 buffer of `length` codes that `kernel`'s one-hot ops can read without copies. */
export function allocCodes(kernel: Kernel, length: number): Int32Array {
  const floats = kernel.alloc(length);
  return new Int32Array(floats.buffer, floats.byteOffset, length);
}

/**
 * The dense input these blocks stand for: rows×inputs, with `dense` (rows × the uncovered width) in
 * the columns no block covers, in order, and each block's row k set to 1 at offset + codes[b][k].
 * For tests and references only — training never builds it.
 */
export function materializeOneHot(rows: number, inputs: number, dense: Float32Array, blocks: readonly OneHotBlock[], codes: readonly Int32Array[]): Float32Array {
  const covered = new Uint8Array(inputs);
  for (const block of blocks) covered.fill(1, block.offset, block.offset + block.levels);
  const denseColumns: number[] = [];
  for (let j = 0; j < inputs; j++) if (covered[j] === 0) denseColumns.push(j);
  const width = denseColumns.length;
  if (dense.length < rows * width) throw new RangeError(`materializeOneHot: ${dense.length} dense values for ${rows}×${width}`);
  const out = new Float32Array(rows * inputs);
  for (let k = 0; k < rows; k++) {
    for (let d = 0; d < width; d++) out[k * inputs + denseColumns[d]] = dense[k * width + d];
    blocks.forEach((block, b) => {
      const c = codes[b][k];
      if (c >= 0 && c < block.levels) out[k * inputs + block.offset + c] = 1;
    });
  }
  return out;
}
