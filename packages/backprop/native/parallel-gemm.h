#ifndef TRAINYARD_PARALLEL_GEMM_H
#define TRAINYARD_PARALLEL_GEMM_H

// Products below this many multiply-adds stay on the calling thread. Whether a split pays depends on the
// machine: on a 2-core AVX2 EPYC a split 128×256×784 (2^24.6) ran 1.5–1.7× faster; on a 2-core AVX-512
// EPYC (28 Nov 2026) it ran slower (0.33 → 0.38 ms, and the next op reads the other core's half of C),
// while 256×1024×1024 (2^28) still gains. The threshold keeps W1-sized products on one thread.
#define PARALLEL_GEMM_MIN_VOLUME (1L << 26)
// Most threads one product is split between.
#define PARALLEL_GEMM_MAX_THREADS 64

typedef struct GemmPool GemmPool;

// A pool of helper threads that sleep until handed a slice of a product.
GemmPool *gemm_pool_create(void);
void gemm_pool_destroy(GemmPool *pool);

// C (m×n) = alpha·op(A)·op(B) + beta·C (row-major, as cblas_sgemm) on `threads` threads: C is cut
// along its longer side into fixed slices that OpenBLAS computes single-threaded, one per thread, so
// results are deterministic for a given thread count (OpenBLAS blocks a slice's sums by its shape, so
// not bit-identical across counts). Returns 0, or -1 when the helper threads could not be started
// (then nothing was computed).
int parallel_gemm(GemmPool *pool, int threads, int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                  const float *b, float beta, float *c);

#endif
