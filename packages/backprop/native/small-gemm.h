#ifndef TRAINYARD_SMALL_GEMM_H
#define TRAINYARD_SMALL_GEMM_H

// Products this small cost less in a plain loop than in a BLAS call (its dispatch and packing).
#define SMALL_GEMM_MAX_VOLUME (48 * 48 * 48)
// Floats of scratch small_gemm needs: op(B) packed in zero-padded 16-column panels.
#define SMALL_GEMM_SCRATCH (SMALL_GEMM_MAX_VOLUME + 16 * SMALL_GEMM_MAX_VOLUME / 1)

// C (m×n) = alpha·op(A)·op(B) + beta·C, row-major, for m·n·k ≤ SMALL_GEMM_MAX_VOLUME.
void small_gemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, const float *b, float beta,
                float *c, float *scratch);

#endif
