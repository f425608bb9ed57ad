// AVX2/FMA GEMM in portable C (vector extensions, -march=native), organised like BLIS: op(B) packed
// into KC×NR column panels, alpha·op(A) into KC×MR row panels, and a 6×16 micro-kernel that keeps its
// block of C in twelve vector registers while it sweeps KC. C is written directly by the first KC
// block (no separate beta pass), and every element is summed in the same order whatever the split.
#include <string.h>
#include "gemm.h"

typedef float v8 __attribute__((vector_size(32), aligned(4), may_alias));

#define MR 6
#define NR 16
#define KC 256   // a KC×NR panel of B (16 KiB) stays in L1 while the micro-kernel sweeps the rows
#define MC 144   // the packed MC×KC block of A (144 KiB) stays in L2
#define NC 3072  // the packed KC×NC block of B (3 MiB) stays in L3

static inline int min(int a, int b) { return a < b ? a : b; }

long packed_gemm_scratch_floats(void) { return (long)MC * KC + (long)KC * NC + MR * NR + 64; }

static inline v8 load8(const float *p) { return *(const v8 *)p; }
static inline void store8(float *p, v8 v) { *(v8 *)p = v; }
static inline v8 splat8(const float *p) {
  const float x = *p;
  return (v8){x, x, x, x, x, x, x, x};  // one vbroadcastss from memory
}

// c (MR×NR, row stride ldc) = (first ? 0 : c) + Σ_p ap[p]ᵀ·bp[p], over kc packed columns/rows.
static void micro_kernel(int kc, const float *restrict ap, const float *restrict bp, float *restrict c, long ldc, int first) {
  v8 c00 = {0}, c01 = {0}, c10 = {0}, c11 = {0}, c20 = {0}, c21 = {0};
  v8 c30 = {0}, c31 = {0}, c40 = {0}, c41 = {0}, c50 = {0}, c51 = {0};
  for (int p = 0; p < kc; p++, ap += MR, bp += NR) {
    const v8 b0 = load8(bp), b1 = load8(bp + 8);
    v8 a;
    a = splat8(ap + 0), c00 += a * b0, c01 += a * b1;
    a = splat8(ap + 1), c10 += a * b0, c11 += a * b1;
    a = splat8(ap + 2), c20 += a * b0, c21 += a * b1;
    a = splat8(ap + 3), c30 += a * b0, c31 += a * b1;
    a = splat8(ap + 4), c40 += a * b0, c41 += a * b1;
    a = splat8(ap + 5), c50 += a * b0, c51 += a * b1;
  }
  const v8 acc[MR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
  for (int r = 0; r < MR; r++) {
    float *row = c + r * ldc;
    if (first) {
      store8(row, acc[r][0]);
      store8(row + 8, acc[r][1]);
    } else {
      store8(row, load8(row) + acc[r][0]);
      store8(row + 8, load8(row + 8) + acc[r][1]);
    }
  }
}

// The 8×8 transpose of rows r[0..7] (three rounds of shuffles), each result scaled.
static inline void transpose8(const v8 r[8], v8 out[8], float scale) {
  v8 t[8], u[8];
  for (int i = 0; i < 8; i += 2) {
    t[i] = __builtin_shufflevector(r[i], r[i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
    t[i + 1] = __builtin_shufflevector(r[i], r[i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
  }
  for (int i = 0; i < 8; i += 4) {
    u[i] = __builtin_shufflevector(t[i], t[i + 2], 0, 1, 8, 9, 4, 5, 12, 13);
    u[i + 1] = __builtin_shufflevector(t[i], t[i + 2], 2, 3, 10, 11, 6, 7, 14, 15);
    u[i + 2] = __builtin_shufflevector(t[i + 1], t[i + 3], 0, 1, 8, 9, 4, 5, 12, 13);
    u[i + 3] = __builtin_shufflevector(t[i + 1], t[i + 3], 2, 3, 10, 11, 6, 7, 14, 15);
  }
  for (int q = 0; q < 4; q++) {
    out[q] = __builtin_shufflevector(u[q], u[q + 4], 0, 1, 2, 3, 8, 9, 10, 11) * scale;
    out[q + 4] = __builtin_shufflevector(u[q], u[q + 4], 4, 5, 6, 7, 12, 13, 14, 15) * scale;
  }
}

// out (kc × width, row stride `width`, zero-padded) = scale · X(p, j), X(p, j) = x[j·ld + p]. Blocks
// of 8 p × 8 rows go through 8×8 transposes; an 8-wide store may spill into the next output row,
// which is written afterwards, so the vector loop stops one block before the end.
static void pack_transposed(const float *x, long ld, int kc, int cols, int width, float scale, float *out) {
  const float *rows[NR];
  for (int j = 0; j < width; j++) rows[j] = x + min(j, cols - 1) * ld;
  int p = 0;
  if (cols == width || width == MR) {
    for (; p + 8 < kc; p += 8) {
      for (int j0 = 0; j0 < width; j0 += 8) {
        v8 r[8], columns[8];
        for (int i = 0; i < 8; i++) r[i] = load8(rows[min(j0 + i, width - 1)] + p);
        transpose8(r, columns, scale);
        for (int q = 0; q < 8; q++) store8(out + (long)(p + q) * width + j0, columns[q]);
      }
      if (cols < width)
        for (int q = 0; q < 8; q++)
          for (int j = cols; j < width; j++) out[(long)(p + q) * width + j] = 0;
    }
  }
  for (; p < kc; p++) {
    float *o = out + (long)p * width;
    for (int j = 0; j < cols; j++) o[j] = scale * rows[j][p];
    for (int j = cols; j < width; j++) o[j] = 0;
  }
}

// out (kc × width, zero-padded) = scale · x[p·ld + j].
static void pack_rows(const float *x, long ld, int kc, int cols, int width, float scale, float *out) {
  for (int p = 0; p < kc; p++) {
    const float *row = x + p * ld;
    float *o = out + p * width;
    for (int j = 0; j < cols; j++) o[j] = scale * row[j];
    for (int j = cols; j < width; j++) o[j] = 0;
  }
}

static void pack_a(int trans_a, const float *a, long lda, int i0, int p0, int mc, int kc, float alpha, float *ap) {
  for (int ir = 0; ir < mc; ir += MR) {
    const int rows = min(MR, mc - ir);
    if (trans_a) pack_rows(a + p0 * lda + i0 + ir, lda, kc, rows, MR, alpha, ap + (long)ir * kc);
    else pack_transposed(a + (i0 + ir) * lda + p0, lda, kc, rows, MR, alpha, ap + (long)ir * kc);
  }
}

static void pack_b(int trans_b, const float *b, long ldb, int p0, int j0, int kc, int nc, float *bp) {
  for (int jr = 0; jr < nc; jr += NR) {
    const int cols = min(NR, nc - jr);
    if (trans_b) pack_transposed(b + (j0 + jr) * ldb + p0, ldb, kc, cols, NR, 1.0f, bp + (long)jr * kc);
    else pack_rows(b + p0 * ldb + j0 + jr, ldb, kc, cols, NR, 1.0f, bp + (long)jr * kc);
  }
}

// A block at the edge of C: summed into a tile, then its valid part added to (or stored in) C.
static void edge_tile(int kc, const float *ap, const float *bp, float *tile, int rows, int cols, float *c, long ldc, int first) {
  micro_kernel(kc, ap, bp, tile, NR, 1);
  for (int r = 0; r < rows; r++)
    for (int j = 0; j < cols; j++) c[r * ldc + j] = first ? tile[r * NR + j] : c[r * ldc + j] + tile[r * NR + j];
}

static void scale_c(int m, int n, float beta, float *c, long ldc) {
  for (int i = 0; i < m; i++) {
    float *row = c + i * ldc;
    if (beta == 0) memset(row, 0, sizeof(float) * n);
    else if (beta != 1) for (int j = 0; j < n; j++) row[j] *= beta;
  }
}

void packed_gemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb,
          float beta, float *c, int ldc, float *scratch) {
  // With beta = 0 the first KC block stores its sums instead of adding them: no zeroing pass.
  const int overwrite = beta == 0 && alpha != 0 && k > 0;
  if (!overwrite) scale_c(m, n, beta, c, ldc);
  if (k == 0 || alpha == 0) return;
  float *ap = scratch, *bp = ap + (long)MC * KC;
  float *tile = (float *)(((unsigned long)(bp + (long)KC * NC) + 63) & ~63ul);
  for (int jc = 0; jc < n; jc += NC) {
    const int nc = min(NC, n - jc);
    for (int pc = 0; pc < k; pc += KC) {
      const int kc = min(KC, k - pc), first = overwrite && pc == 0;
      pack_b(trans_b, b, ldb, pc, jc, kc, nc, bp);
      for (int ic = 0; ic < m; ic += MC) {
        const int mc = min(MC, m - ic);
        pack_a(trans_a, a, lda, ic, pc, mc, kc, alpha, ap);
        for (int jr = 0; jr < nc; jr += NR) {
          const int cols = min(NR, nc - jr);
          for (int ir = 0; ir < mc; ir += MR) {
            const int rows = min(MR, mc - ir);
            float *block = c + (long)(ic + ir) * ldc + jc + jr;
            const float *a_panel = ap + (long)ir * kc, *b_panel = bp + (long)jr * kc;
            if (rows == MR && cols == NR) micro_kernel(kc, a_panel, b_panel, block, ldc, first);
            else edge_tile(kc, a_panel, b_panel, tile, rows, cols, block, ldc, first);
          }
        }
      }
    }
  }
}
