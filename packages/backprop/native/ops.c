// Element-wise ops of a training step, compiled into both the native addon and the wasm module.
// Plain loops on purpose: -O3 vectorises them (AVX2 natively, SIMD128 in wasm).
#include <stddef.h>
#include "ops.h"
#include "kmath.h"

static const float LEAKY_RELU_SLOPE = 0.01f;
static const double LOG_EPSILON = 1e-12;

static inline float sigmoid(float x) {
  if (x >= 0) return 1.0f / (1.0f + k_expf(-x));
  float e = k_expf(x);
  return e / (1.0f + e);
}

static void softmax_rows(const float *z, int rows, int cols, float *out) {
  for (int r = 0; r < rows; r++) {
    const float *zr = z + (long)r * cols;
    float *o = out + (long)r * cols;
    float max = -K_INFINITY;
    for (int j = 0; j < cols; j++) max = zr[j] > max ? zr[j] : max;
    double sum = 0;
    for (int j = 0; j < cols; j++) {
      o[j] = k_expf(zr[j] - max);
      sum += o[j];
    }
    for (int j = 0; j < cols; j++) o[j] = (float)(o[j] / sum);
  }
}

void k_bias_activation(float *z, const float *bias, int rows, int cols, int activation, float *out) {
  for (int r = 0; r < rows; r++) {
    float *zr = z + (long)r * cols;
    for (int j = 0; j < cols; j++) zr[j] += bias[j];
  }
  const long length = (long)rows * cols;
  switch (activation) {
    case ACT_LINEAR: for (long i = 0; i < length; i++) out[i] = z[i]; break;
    case ACT_RELU: for (long i = 0; i < length; i++) out[i] = z[i] > 0 ? z[i] : 0; break;
    case ACT_LEAKY_RELU: for (long i = 0; i < length; i++) out[i] = z[i] > 0 ? z[i] : LEAKY_RELU_SLOPE * z[i]; break;
    case ACT_SIGMOID: for (long i = 0; i < length; i++) out[i] = sigmoid(z[i]); break;
    case ACT_TANH: for (long i = 0; i < length; i++) out[i] = k_tanhf(z[i]); break;
    case ACT_SOFTMAX: softmax_rows(z, rows, cols, out); break;
  }
}

void k_activation_backward(float *delta, const float *z, const float *a, int length, int activation) {
  switch (activation) {
    // NaN z gives a zero (relu) or scaled (leaky) derivative, as in the reference's !(z > 0).
    case ACT_RELU: for (int i = 0; i < length; i++) delta[i] = z[i] > 0 ? delta[i] : 0; break;
    case ACT_LEAKY_RELU: for (int i = 0; i < length; i++) delta[i] = z[i] > 0 ? delta[i] : LEAKY_RELU_SLOPE * delta[i]; break;
    case ACT_SIGMOID: for (int i = 0; i < length; i++) delta[i] *= a[i] * (1 - a[i]); break;
    case ACT_TANH: for (int i = 0; i < length; i++) delta[i] *= 1 - a[i] * a[i]; break;
    default: break;
  }
}

// The weighted mean over rows: row r's loss and δ count w_r / Σw (a zero Σw gives a zero δ and loss 0).
// Each row's loss is summed first, then weighted, so a NaN prediction still poisons the total.
static double weighted_output_delta(int loss, int activation, const float *z, const float *yhat, const float *y, int rows,
                                    int cols, float *delta, const float *weights) {
  double weight_sum = 0;
  for (int r = 0; r < rows; r++) weight_sum += weights[r];
  const double inverse_sum = weight_sum > 0 ? 1.0 / weight_sum : 0;
  const int binary = activation == ACT_SIGMOID;
  double total = 0;
  for (int r = 0; r < rows; r++) {
    const long base = (long)r * cols;
    const double share = weights[r] * inverse_sum;
    double row_total = 0;
    if (loss == LOSS_MSE) {
      const double scale = 2.0 * share / cols;
      for (int j = 0; j < cols; j++) {
        double diff = (double)yhat[base + j] - (double)y[base + j];
        row_total += diff * diff;
        delta[base + j] = (float)(scale * diff);
      }
      row_total /= cols;
    } else {
      for (int j = 0; j < cols; j++) {
        double p = yhat[base + j], t = y[base + j];
        if (p != p) row_total = p;
        if (t != 0) row_total -= t * k_log(p + LOG_EPSILON);
        if (binary && t != 1) row_total -= (1 - t) * k_log(1 - p + LOG_EPSILON);
        delta[base + j] = (float)(share * (p - t));
      }
    }
    total += weights[r] * row_total;
  }
  if (loss == LOSS_MSE) k_activation_backward(delta, z, yhat, rows * cols, activation);
  return weight_sum > 0 ? total / weight_sum : total;
}

double k_output_delta(int loss, int activation, const float *z, const float *yhat, const float *y, int rows, int cols, float *delta,
                      const float *weights) {
  if (weights != NULL) return weighted_output_delta(loss, activation, z, yhat, y, rows, cols, delta, weights);
  const long length = (long)rows * cols;
  double total = 0;
  if (loss == LOSS_MSE) {
    const double scale = 2.0 / (double)length;
    for (long i = 0; i < length; i++) {
      double diff = (double)yhat[i] - (double)y[i];
      total += diff * diff;
      delta[i] = (float)(scale * diff);
    }
    k_activation_backward(delta, z, yhat, (int)length, activation);
    return total / (double)length;
  }
  // Cross-entropy fused with its softmax/sigmoid: δ = (ŷ − y)/rows. Zero targets add no log term,
  // except that a NaN prediction must still poison the loss (divergence detection).
  const double scale = 1.0 / rows;
  const int binary = activation == ACT_SIGMOID;
  for (long i = 0; i < length; i++) {
    double p = yhat[i], t = y[i];
    if (p != p) total = p;
    if (t != 0) total -= t * k_log(p + LOG_EPSILON);
    if (binary && t != 1) total -= (1 - t) * k_log(1 - p + LOG_EPSILON);
    delta[i] = (float)(scale * (p - t));
  }
  return total / rows;
}

void k_column_sum(const float *m, int rows, int cols, float *out) {
  for (int j = 0; j < cols; j++) out[j] = 0;
  for (int r = 0; r < rows; r++) {
    const float *row = m + (long)r * cols;
    for (int j = 0; j < cols; j++) out[j] += row[j];
  }
}

void k_sgd_update(float *w, const float *g, float *velocity, int length, float lr, float momentum, int nesterov, float decay) {
  if (momentum == 0) {
    for (int i = 0; i < length; i++) w[i] -= lr * (g[i] + decay * w[i]);
  } else if (nesterov) {
    for (int i = 0; i < length; i++) {
      float grad = g[i] + decay * w[i];
      float v = momentum * velocity[i] + grad;
      velocity[i] = v;
      w[i] -= lr * (grad + momentum * v);
    }
  } else {
    for (int i = 0; i < length; i++) {
      float v = momentum * velocity[i] + g[i] + decay * w[i];
      velocity[i] = v;
      w[i] -= lr * v;
    }
  }
}

void k_adam_update(float *w, const float *g, float *m, float *v, int length, float lr, float beta1, float beta2, float epsilon,
                   float decay, float correction1, float correction2) {
  for (int i = 0; i < length; i++) {
    float grad = g[i];
    float mi = beta1 * m[i] + (1 - beta1) * grad;
    float vi = beta2 * v[i] + (1 - beta2) * grad * grad;
    m[i] = mi;
    v[i] = vi;
    w[i] -= lr * ((mi * correction1) / (k_sqrtf(vi * correction2) + epsilon) + decay * w[i]);
  }
}
