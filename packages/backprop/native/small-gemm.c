// GEMM for the tiny layers (W2-sized networks), where OpenBLAS's per-call overhead dominates:
// op(B) is packed into zero-padded panels of 16 columns, and each 4×16 block of C is summed in
// eight vector registers (independent accumulators, so the FMA latency is hidden).
#include <string.h>
#include "small-gemm.h"

// Eight floats; aligned(4) makes loads and stores through it unaligned ones.
typedef float v8 __attribute__((vector_size(32), aligned(4), may_alias));

#define MR 4
#define NR 16

static inline v8 load8(const float *p) { return *(const v8 *)p; }

// scratch (panels × k × NR) = op(B) in column panels; B(p, j) = b[p·n + j], or b[j·k + p] when transposed.
static void pack_b(int trans_b, int n, int k, const float *b, float *scratch) {
  for (int j0 = 0; j0 < n; j0 += NR) {
    float *panel = scratch + (long)(j0 / NR) * k * NR;
    const int width = n - j0 < NR ? n - j0 : NR;
    for (int p = 0; p < k; p++) {
      float *row = panel + (long)p * NR;
      for (int j = 0; j < width; j++) row[j] = trans_b ? b[(long)(j0 + j) * k + p] : b[(long)p * n + j0 + j];
      for (int j = width; j < NR; j++) row[j] = 0;
    }
  }
}

// C[i0 .. i0+rows) × [j0 .. j0+width) = alpha·Σ_p A(i, p)·panel[p] + beta·C, rows ≤ MR, width ≤ NR.
static void block(int rows, int width, int k, float alpha, const float *const arow[MR], long a_step, const float *panel,
                  float beta, float *c, int n) {
  v8 c00 = {0}, c01 = {0}, c10 = {0}, c11 = {0}, c20 = {0}, c21 = {0}, c30 = {0}, c31 = {0};
  const float *a0 = arow[0], *a1 = arow[1], *a2 = arow[2], *a3 = arow[3];
  for (int p = 0; p < k; p++) {
    const v8 b0 = load8(panel + (long)p * NR), b1 = load8(panel + (long)p * NR + 8);
    const long at = p * a_step;
    c00 += a0[at] * b0, c01 += a0[at] * b1;
    c10 += a1[at] * b0, c11 += a1[at] * b1;
    c20 += a2[at] * b0, c21 += a2[at] * b1;
    c30 += a3[at] * b0, c31 += a3[at] * b1;
  }
  const v8 acc[MR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}};
  for (int r = 0; r < rows; r++) {
    float sums[NR];
    memcpy(sums, acc[r], sizeof sums);
    float *ci = c + (long)r * n;
    if (beta == 0) for (int j = 0; j < width; j++) ci[j] = alpha * sums[j];
    else for (int j = 0; j < width; j++) ci[j] = alpha * sums[j] + beta * ci[j];
  }
}

void small_gemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, const float *b, float beta,
                float *c, float *scratch) {
  pack_b(trans_b, n, k, b, scratch);
  // A(i, p) = a[i·k + p], or a[p·m + i] when A is stored k×m.
  const long row_step = trans_a ? 1 : k, a_step = trans_a ? m : 1;
  for (int i0 = 0; i0 < m; i0 += MR) {
    const int rows = m - i0 < MR ? m - i0 : MR;
    // Rows past the end repeat the last one: computed, never stored.
    const float *arow[MR];
    for (int r = 0; r < MR; r++) arow[r] = a + (i0 + (r < rows ? r : rows - 1)) * row_step;
    for (int j0 = 0; j0 < n; j0 += NR) {
      const int width = n - j0 < NR ? n - j0 : NR;
      block(rows, width, k, alpha, arow, a_step, scratch + (long)(j0 / NR) * k * NR, beta, c + (long)i0 * n + j0, n);
    }
  }
}
