#ifndef TRAINYARD_SMALL_GEMM_H
#define TRAINYARD_SMALL_GEMM_H

// Products this small cost less in a plain loop than in a BLAS call (its dispatch and packing).
#define SMALL_GEMM_MAX_VOLUME (48 * 48 * 48)
// Floats of scratch small_gemm needs at most: op(B) packed in zero-padded 16-column panels.
#define SMALL_GEMM_SCRATCH SMALL_GEMM_MAX_VOLUME

// Whether small_gemm takes this product: small enough, and its padded op(B) fits the scratch.
static inline int small_gemm_fits(int m, int n, int k) {
  return (long)m * n * k <= SMALL_GEMM_MAX_VOLUME && (long)k * ((n + 15) / 16 * 16) <= SMALL_GEMM_SCRATCH;
}

// C (m×n) = alpha·op(A)·op(B) + beta·C, row-major, for products that small_gemm_fits.
void small_gemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, const float *b, float beta,
                float *c, float *scratch);

#endif
