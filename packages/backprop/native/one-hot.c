// One-hot blocks of the first layer as gathers and scatter-adds of weight columns (see one-hot.h).
// Rows are summed in order, so results do not depend on threads or batch layout.
#include "one-hot.h"

void k_one_hot_forward(float *z, const float *w, int out, int in, const int *codes, int rows, int offset, int levels) {
  for (int k = 0; k < rows; k++) {
    const int c = codes[k];
    if (c < 0 || c >= levels) continue;
    const float *column = w + offset + c;
    float *zk = z + (long)k * out;
    for (int o = 0; o < out; o++) zk[o] += column[(long)o * in];
  }
}

void k_one_hot_backward(const float *delta, const int *codes, int rows, int out, int in, int offset, int levels, float *grad) {
  for (int o = 0; o < out; o++) {
    float *g = grad + (long)o * in + offset;
    for (int j = 0; j < levels; j++) g[j] = 0;
  }
  for (int k = 0; k < rows; k++) {
    const int c = codes[k];
    if (c < 0 || c >= levels) continue;
    const float *dk = delta + (long)k * out;
    float *column = grad + offset + c;
    for (int o = 0; o < out; o++) column[(long)o * in] += dk[o];
  }
}
