// SIMD128 GEMM, organised like BLIS: op(B) is packed into KC×NR column panels and op(A) (scaled by
// alpha) into KC×MR row panels, and a 4×8 micro-kernel keeps its block of C in eight registers while
// it sweeps KC. Every element is summed in the same order whatever the block or thread split, so
// results do not depend on how a product is divided between threads.
#include <wasm_simd128.h>
#include "gemm.h"

#define MR 4
#define NR 8
#define KC 256  // a KC×NR panel of B stays in L1 while the micro-kernel sweeps the rows
#define MC 128  // the packed MC×KC block of A stays in L2
#define NC 2048

static inline int min(int a, int b) { return a < b ? a : b; }

int gemm_scratch_floats(void) { return MC * KC + KC * NC + MR * NR; }

// c (MR×NR, row stride ldc) += Σ_p ap[p]ᵀ · bp[p] over kc packed columns of A and rows of B.
static void micro_kernel(int kc, const float *ap, const float *bp, float *c, int ldc) {
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
#pragma clang loop unroll(disable)
  for (int p = 0; p < kc; p++, ap += MR, bp += NR) {
    const v128_t b0 = wasm_v128_load(bp), b1 = wasm_v128_load(bp + 4);
    v128_t a = wasm_v128_load32_splat(ap);
    c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(a, b0));
    c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(a, b1));
    a = wasm_v128_load32_splat(ap + 1);
    c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(a, b0));
    c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(a, b1));
    a = wasm_v128_load32_splat(ap + 2);
    c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(a, b0));
    c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(a, b1));
    a = wasm_v128_load32_splat(ap + 3);
    c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(a, b0));
    c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(a, b1));
  }
  float *c0 = c, *c1 = c + ldc, *c2 = c1 + ldc, *c3 = c2 + ldc;
  wasm_v128_store(c0, wasm_f32x4_add(wasm_v128_load(c0), c00));
  wasm_v128_store(c0 + 4, wasm_f32x4_add(wasm_v128_load(c0 + 4), c01));
  wasm_v128_store(c1, wasm_f32x4_add(wasm_v128_load(c1), c10));
  wasm_v128_store(c1 + 4, wasm_f32x4_add(wasm_v128_load(c1 + 4), c11));
  wasm_v128_store(c2, wasm_f32x4_add(wasm_v128_load(c2), c20));
  wasm_v128_store(c2 + 4, wasm_f32x4_add(wasm_v128_load(c2 + 4), c21));
  wasm_v128_store(c3, wasm_f32x4_add(wasm_v128_load(c3), c30));
  wasm_v128_store(c3 + 4, wasm_f32x4_add(wasm_v128_load(c3 + 4), c31));
}

// Four rows r0..r3 of 4 floats → four columns, written 4 floats apart-by-`stride` into out.
static inline void transpose_store(v128_t r0, v128_t r1, v128_t r2, v128_t r3, float *out, int stride, v128_t scale) {
  const v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
  const v128_t t2 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
  wasm_v128_store(out, wasm_f32x4_mul(wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5), scale));
  wasm_v128_store(out + stride, wasm_f32x4_mul(wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7), scale));
  wasm_v128_store(out + 2 * stride, wasm_f32x4_mul(wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5), scale));
  wasm_v128_store(out + 3 * stride, wasm_f32x4_mul(wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7), scale));
}

// out (kc × width, row stride `stride`, zero-padded to `width` columns) = scale · X(p, j) for
// p < kc, j < cols, where X(p, j) = x[j·ld + p] (x holds the columns as rows). Transposes 4×4 blocks.
static void pack_transposed(const float *x, int ld, int kc, int cols, int width, float scale, float *out, int stride) {
  const v128_t vscale = wasm_f32x4_splat(scale);
  int j = 0;
  for (; j + 4 <= cols; j += 4) {
    const float *x0 = x + j * ld, *x1 = x0 + ld, *x2 = x1 + ld, *x3 = x2 + ld;
    int p = 0;
    for (; p + 4 <= kc; p += 4)
      transpose_store(wasm_v128_load(x0 + p), wasm_v128_load(x1 + p), wasm_v128_load(x2 + p), wasm_v128_load(x3 + p),
                      out + p * stride + j, stride, vscale);
    for (; p < kc; p++) {
      float *o = out + p * stride + j;
      o[0] = scale * x0[p], o[1] = scale * x1[p], o[2] = scale * x2[p], o[3] = scale * x3[p];
    }
  }
  for (; j < width; j++)
    for (int p = 0; p < kc; p++) out[p * stride + j] = j < cols ? scale * x[j * ld + p] : 0;
}

// out (kc × width, row stride `stride`, zero-padded) = scale · x[p·ld + j] for p < kc, j < cols.
static void pack_rows(const float *x, int ld, int kc, int cols, int width, float scale, float *out, int stride) {
  const v128_t vscale = wasm_f32x4_splat(scale);
  for (int p = 0; p < kc; p++) {
    const float *row = x + p * ld;
    float *o = out + p * stride;
    int j = 0;
    for (; j + 4 <= cols; j += 4) wasm_v128_store(o + j, wasm_f32x4_mul(wasm_v128_load(row + j), vscale));
    for (; j < width; j++) o[j] = j < cols ? scale * row[j] : 0;
  }
}

// ap: mc×kc block of alpha·op(A) from (i0, p0), as MR-row panels of kc×MR.
static void pack_a(int trans_a, const float *a, int lda, int i0, int p0, int mc, int kc, float alpha, float *ap) {
  for (int ir = 0; ir < mc; ir += MR) {
    const int rows = min(MR, mc - ir);
    if (trans_a) pack_rows(a + p0 * lda + i0 + ir, lda, kc, rows, MR, alpha, ap + ir * kc, MR);
    else pack_transposed(a + (i0 + ir) * lda + p0, lda, kc, rows, MR, alpha, ap + ir * kc, MR);
  }
}

// bp: kc×nc block of op(B) from (p0, j0), as NR-column panels of kc×NR.
static void pack_b(int trans_b, const float *b, int ldb, int p0, int j0, int kc, int nc, float *bp) {
  for (int jr = 0; jr < nc; jr += NR) {
    const int cols = min(NR, nc - jr);
    if (trans_b) pack_transposed(b + (j0 + jr) * ldb + p0, ldb, kc, cols, NR, 1.0f, bp + jr * kc, NR);
    else pack_rows(b + p0 * ldb + j0 + jr, ldb, kc, cols, NR, 1.0f, bp + jr * kc, NR);
  }
}

static void scale_c(int m, int n, float beta, float *c, int ldc) {
  if (beta == 1) return;
  for (int i = 0; i < m; i++) {
    float *row = c + i * ldc;
    if (beta == 0) for (int j = 0; j < n; j++) row[j] = 0;
    else for (int j = 0; j < n; j++) row[j] *= beta;
  }
}

// A block of C past the packed panels' edge: summed into a zeroed tile, then its valid part added.
static void edge_tile(int kc, const float *ap, const float *bp, float *tile, int rows, int cols, float *c, int ldc) {
  for (int i = 0; i < MR * NR; i++) tile[i] = 0;
  micro_kernel(kc, ap, bp, tile, NR);
  for (int r = 0; r < rows; r++)
    for (int j = 0; j < cols; j++) c[r * ldc + j] += tile[r * NR + j];
}

void gemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb,
          float beta, float *c, int ldc, float *scratch) {
  scale_c(m, n, beta, c, ldc);
  if (k == 0 || alpha == 0) return;
  float *ap = scratch, *bp = scratch + MC * KC, *tile = bp + KC * NC;
  for (int jc = 0; jc < n; jc += NC) {
    const int nc = min(NC, n - jc);
    for (int pc = 0; pc < k; pc += KC) {
      const int kc = min(KC, k - pc);
      pack_b(trans_b, b, ldb, pc, jc, kc, nc, bp);
      for (int ic = 0; ic < m; ic += MC) {
        const int mc = min(MC, m - ic);
        pack_a(trans_a, a, lda, ic, pc, mc, kc, alpha, ap);
        for (int jr = 0; jr < nc; jr += NR) {
          const int cols = min(NR, nc - jr);
          for (int ir = 0; ir < mc; ir += MR) {
            const int rows = min(MR, mc - ir);
            float *block = c + (ic + ir) * ldc + jc + jr;
            if (rows == MR && cols == NR) micro_kernel(kc, ap + ir * kc, bp + jr * kc, block, ldc);
            else edge_tile(kc, ap + ir * kc, bp + jr * kc, tile, rows, cols, block, ldc);
          }
        }
      }
    }
  }
}
