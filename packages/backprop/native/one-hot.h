// The first layer's one-hot blocks without the one-hot matrix, shared by the native addon and the wasm
// module. Semantics mirror oneHotForward / oneHotBackward in src/kernels/js-kernel.ts (the reference).
// W is out×in (row-major); a block of `levels` input columns starts at column `offset`; codes are one
// int32 per row, and a code outside [0, levels) (−1: missing) selects no column.
#ifndef TRAINYARD_ONE_HOT_H
#define TRAINYARD_ONE_HOT_H

// z (rows×out) row k += W[:, offset + codes[k]] — the block's share of a·Wᵀ.
void k_one_hot_forward(float *z, const float *w, int out, int in, const int *codes, int rows, int offset, int levels);
// grad[:, offset … offset+levels) = δᵀ·a of the block: zeroed, then column offset+codes[k] += δ row k (δ rows×out).
void k_one_hot_backward(const float *delta, const int *codes, int rows, int out, int in, int offset, int levels, float *grad);

#endif
