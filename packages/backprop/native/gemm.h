#ifndef TRAINYARD_NATIVE_GEMM_H
#define TRAINYARD_NATIVE_GEMM_H

// Floats of scratch one gemm call needs (packed blocks of A and B, an edge tile); one per thread.
long packed_gemm_scratch_floats(void);

// C (m×n, row stride ldc) = alpha·op(A)·op(B) + beta·C, row-major; op(A) is m×k, op(B) k×n, and a
// transposed operand is stored the other way round with the given row stride.
void packed_gemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb,
          float beta, float *c, int ldc, float *scratch);

#endif
