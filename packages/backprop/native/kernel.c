// Trainyard's native kernel: OpenBLAS SGEMM plus every element-wise op of a training step, on the
// caller's Float32Array memory (no copies). Semantics mirror src/kernels/js-kernel.ts exactly.
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <cblas.h>
#include <node_api.h>

enum { LINEAR = 0, RELU = 1, LEAKY_RELU = 2, SIGMOID = 3, TANH = 4, SOFTMAX = 5 };
enum { MSE = 0, CROSS_ENTROPY = 1, BINARY_CROSS_ENTROPY = 2 };
static const float LEAKY_SLOPE = 0.01f;
static const double LOG_EPSILON = 1e-12;

extern void openblas_set_num_threads(int);
extern int openblas_get_num_threads(void);

// ---- argument helpers ------------------------------------------------------------------------
#define MAX_ARGS 12
#define CHECK(call) do { if ((call) != napi_ok) { napi_throw_error(env, NULL, "native kernel: " #call " failed"); return NULL; } } while (0)

static bool get_floats(napi_env env, napi_value value, float **out, size_t *length) {
  napi_typedarray_type type;
  void *data;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, length, &data, &buffer, &offset) != napi_ok || type != napi_float32_array) {
    napi_throw_type_error(env, NULL, "native kernel: expected a Float32Array");
    return false;
  }
  *out = (float *)data;
  return true;
}

static bool get_double(napi_env env, napi_value value, double *out) {
  if (napi_get_value_double(env, value, out) != napi_ok) {
    napi_throw_type_error(env, NULL, "native kernel: expected a number");
    return false;
  }
  return true;
}

static bool get_int(napi_env env, napi_value value, int *out) {
  double d;
  if (!get_double(env, value, &d)) return false;
  *out = (int)d;
  return true;
}

static bool get_bool(napi_env env, napi_value value, bool *out) {
  if (napi_get_value_bool(env, value, out) != napi_ok) {
    napi_throw_type_error(env, NULL, "native kernel: expected a boolean");
    return false;
  }
  return true;
}

static size_t get_args(napi_env env, napi_callback_info info, napi_value *argv, size_t expected) {
  size_t argc = MAX_ARGS;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < expected) {
    napi_throw_type_error(env, NULL, "native kernel: too few arguments");
    return 0;
  }
  return argc;
}

// ---- element-wise math -----------------------------------------------------------------------
static inline float sigmoidf(float x) {
  if (x >= 0) return 1.0f / (1.0f + expf(-x));
  float e = expf(x);
  return e / (1.0f + e);
}

static void activate(float *z, float *out, size_t rows, size_t cols, int activation) {
  size_t length = rows * cols;
  switch (activation) {
    case LINEAR: for (size_t i = 0; i < length; i++) out[i] = z[i]; break;
    case RELU: for (size_t i = 0; i < length; i++) out[i] = z[i] > 0 ? z[i] : 0; break;
    case LEAKY_RELU: for (size_t i = 0; i < length; i++) out[i] = z[i] > 0 ? z[i] : LEAKY_SLOPE * z[i]; break;
    case SIGMOID: for (size_t i = 0; i < length; i++) out[i] = sigmoidf(z[i]); break;
    case TANH: for (size_t i = 0; i < length; i++) out[i] = tanhf(z[i]); break;
    case SOFTMAX:
      for (size_t r = 0; r < rows; r++) {
        float *zr = z + r * cols, *o = out + r * cols;
        float max = -INFINITY;
        for (size_t j = 0; j < cols; j++) if (zr[j] > max) max = zr[j];
        double sum = 0;
        for (size_t j = 0; j < cols; j++) { o[j] = expf(zr[j] - max); sum += o[j]; }
        float inv = (float)(1.0 / sum);
        for (size_t j = 0; j < cols; j++) o[j] *= inv;
      }
      break;
  }
}

static void backward(float *delta, const float *z, const float *a, size_t length, int activation) {
  switch (activation) {
    case RELU: for (size_t i = 0; i < length; i++) if (!(z[i] > 0)) delta[i] = 0; break;
    case LEAKY_RELU: for (size_t i = 0; i < length; i++) if (!(z[i] > 0)) delta[i] *= LEAKY_SLOPE; break;
    case SIGMOID: for (size_t i = 0; i < length; i++) delta[i] *= a[i] * (1 - a[i]); break;
    case TANH: for (size_t i = 0; i < length; i++) delta[i] *= 1 - a[i] * a[i]; break;
    default: break;
  }
}

// ---- exported functions ----------------------------------------------------------------------
// gemm(transA, transB, m, n, k, alpha, a, b, beta, c): C (m×n) = alpha·op(A)·op(B) + beta·C, row-major.
static napi_value gemm(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, argv, 10)) return NULL;
  bool transA, transB;
  int m, n, k;
  double alpha, beta;
  float *a, *b, *c;
  size_t la, lb, lc;
  if (!get_bool(env, argv[0], &transA) || !get_bool(env, argv[1], &transB) || !get_int(env, argv[2], &m) ||
      !get_int(env, argv[3], &n) || !get_int(env, argv[4], &k) || !get_double(env, argv[5], &alpha) ||
      !get_floats(env, argv[6], &a, &la) || !get_floats(env, argv[7], &b, &lb) || !get_double(env, argv[8], &beta) ||
      !get_floats(env, argv[9], &c, &lc)) return NULL;
  if (la < (size_t)m * k || lb < (size_t)k * n || lc < (size_t)m * n) {
    napi_throw_range_error(env, NULL, "native gemm: a buffer is smaller than its matrix");
    return NULL;
  }
  if (m == 0 || n == 0) return NULL;
  if (k == 0) {
    for (size_t i = 0; i < (size_t)m * n; i++) c[i] = beta == 0 ? 0 : (float)beta * c[i];
    return NULL;
  }
  cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k,
              (float)alpha, a, transA ? m : k, b, transB ? k : n, (float)beta, c, n);
  return NULL;
}

// biasActivation(z, bias, rows, cols, activation, out)
static napi_value bias_activation(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, argv, 6)) return NULL;
  float *z, *bias, *out;
  size_t lz, lb, lo;
  int rows, cols, activation;
  if (!get_floats(env, argv[0], &z, &lz) || !get_floats(env, argv[1], &bias, &lb) || !get_int(env, argv[2], &rows) ||
      !get_int(env, argv[3], &cols) || !get_int(env, argv[4], &activation) || !get_floats(env, argv[5], &out, &lo)) return NULL;
  if (lz < (size_t)rows * cols || lo < (size_t)rows * cols || lb < (size_t)cols) {
    napi_throw_range_error(env, NULL, "native biasActivation: a buffer is smaller than rows×cols");
    return NULL;
  }
  for (size_t r = 0; r < (size_t)rows; r++) {
    float *zr = z + r * cols;
    for (size_t j = 0; j < (size_t)cols; j++) zr[j] += bias[j];
  }
  activate(z, out, rows, cols, activation);
  return NULL;
}

// activationBackward(delta, z, a, length, activation)
static napi_value activation_backward(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, argv, 5)) return NULL;
  float *delta, *z, *a;
  size_t ld, lz, la;
  int length, activation;
  if (!get_floats(env, argv[0], &delta, &ld) || !get_floats(env, argv[1], &z, &lz) || !get_floats(env, argv[2], &a, &la) ||
      !get_int(env, argv[3], &length) || !get_int(env, argv[4], &activation)) return NULL;
  if (ld < (size_t)length || lz < (size_t)length || la < (size_t)length) {
    napi_throw_range_error(env, NULL, "native activationBackward: a buffer is shorter than length");
    return NULL;
  }
  backward(delta, z, a, length, activation);
  return NULL;
}

// outputDelta(loss, activation, z, yhat, y, rows, cols, delta) → batch-mean loss
static napi_value output_delta(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, argv, 8)) return NULL;
  int loss, activation, rows, cols;
  float *z, *yhat, *y, *delta;
  size_t lz, lp, ly, ld;
  if (!get_int(env, argv[0], &loss) || !get_int(env, argv[1], &activation) || !get_floats(env, argv[2], &z, &lz) ||
      !get_floats(env, argv[3], &yhat, &lp) || !get_floats(env, argv[4], &y, &ly) || !get_int(env, argv[5], &rows) ||
      !get_int(env, argv[6], &cols) || !get_floats(env, argv[7], &delta, &ld)) return NULL;
  size_t length = (size_t)rows * cols;
  if (lz < length || lp < length || ly < length || ld < length) {
    napi_throw_range_error(env, NULL, "native outputDelta: a buffer is smaller than rows×cols");
    return NULL;
  }
  double total = 0;
  if (loss == MSE) {
    double scale = 2.0 / (double)length;
    for (size_t i = 0; i < length; i++) {
      double diff = (double)yhat[i] - (double)y[i];
      total += diff * diff;
      delta[i] = (float)(scale * diff);
    }
    backward(delta, z, yhat, length, activation);
    total /= (double)length;
  } else {
    double scale = 1.0 / rows;
    bool binary = activation == SIGMOID;
    for (size_t i = 0; i < length; i++) {
      double p = yhat[i], t = y[i];
      total -= t * log(p + LOG_EPSILON);
      if (binary) total -= (1 - t) * log(1 - p + LOG_EPSILON);
      delta[i] = (float)(scale * (p - t));
    }
    total /= rows;
  }
  napi_value result;
  napi_create_double(env, total, &result);
  return result;
}

// columnSum(m, rows, cols, out)
static napi_value column_sum(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, argv, 4)) return NULL;
  float *m, *out;
  size_t lm, lo;
  int rows, cols;
  if (!get_floats(env, argv[0], &m, &lm) || !get_int(env, argv[1], &rows) || !get_int(env, argv[2], &cols) ||
      !get_floats(env, argv[3], &out, &lo)) return NULL;
  if (lm < (size_t)rows * cols || lo < (size_t)cols) {
    napi_throw_range_error(env, NULL, "native columnSum: a buffer is too small");
    return NULL;
  }
  for (size_t j = 0; j < (size_t)cols; j++) out[j] = 0;
  for (size_t r = 0; r < (size_t)rows; r++) {
    const float *row = m + r * cols;
    for (size_t j = 0; j < (size_t)cols; j++) out[j] += row[j];
  }
  return NULL;
}

// sgdUpdate(w, g, velocity, length, lr, momentum, nesterov, weightDecay)
static napi_value sgd_update(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, argv, 8)) return NULL;
  float *w, *g, *v;
  size_t lw, lg, lv;
  int length;
  double lr, momentum, decay;
  bool nesterov;
  if (!get_floats(env, argv[0], &w, &lw) || !get_floats(env, argv[1], &g, &lg) || !get_floats(env, argv[2], &v, &lv) ||
      !get_int(env, argv[3], &length) || !get_double(env, argv[4], &lr) || !get_double(env, argv[5], &momentum) ||
      !get_bool(env, argv[6], &nesterov) || !get_double(env, argv[7], &decay)) return NULL;
  if (lw < (size_t)length || lg < (size_t)length || (momentum != 0 && lv < (size_t)length)) {
    napi_throw_range_error(env, NULL, "native sgdUpdate: a buffer is shorter than length");
    return NULL;
  }
  const float flr = (float)lr, fm = (float)momentum, fd = (float)decay;
  if (momentum == 0) {
    for (size_t i = 0; i < (size_t)length; i++) w[i] -= flr * (g[i] + fd * w[i]);
    return NULL;
  }
  for (size_t i = 0; i < (size_t)length; i++) {
    float grad = g[i] + fd * w[i];
    float vi = fm * v[i] + grad;
    v[i] = vi;
    w[i] -= flr * (nesterov ? grad + fm * vi : vi);
  }
  return NULL;
}

// adamUpdate(w, g, m, v, length, lr, beta1, beta2, epsilon, weightDecay, t)
static napi_value adam_update(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, argv, 11)) return NULL;
  float *w, *g, *m, *v;
  size_t lw, lg, lm, lv;
  int length;
  double lr, beta1, beta2, eps, decay, t;
  if (!get_floats(env, argv[0], &w, &lw) || !get_floats(env, argv[1], &g, &lg) || !get_floats(env, argv[2], &m, &lm) ||
      !get_floats(env, argv[3], &v, &lv) || !get_int(env, argv[4], &length) || !get_double(env, argv[5], &lr) ||
      !get_double(env, argv[6], &beta1) || !get_double(env, argv[7], &beta2) || !get_double(env, argv[8], &eps) ||
      !get_double(env, argv[9], &decay) || !get_double(env, argv[10], &t)) return NULL;
  if (lw < (size_t)length || lg < (size_t)length || lm < (size_t)length || lv < (size_t)length) {
    napi_throw_range_error(env, NULL, "native adamUpdate: a buffer is shorter than length");
    return NULL;
  }
  const float b1 = (float)beta1, b2 = (float)beta2, fe = (float)eps, flr = (float)lr, fd = (float)decay;
  const float c1 = (float)(1.0 / (1.0 - pow(beta1, t))), c2 = (float)(1.0 / (1.0 - pow(beta2, t)));
  for (size_t i = 0; i < (size_t)length; i++) {
    float grad = g[i];
    float mi = b1 * m[i] + (1 - b1) * grad;
    float vi = b2 * v[i] + (1 - b2) * grad * grad;
    m[i] = mi;
    v[i] = vi;
    w[i] -= flr * ((mi * c1) / (sqrtf(vi * c2) + fe) + fd * w[i]);
  }
  return NULL;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int threads;
  if (!get_args(env, info, argv, 1) || !get_int(env, argv[0], &threads)) return NULL;
  if (threads < 1) threads = 1;
  openblas_set_num_threads(threads);
  return NULL;
}

static napi_value get_threads(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  napi_create_int32(env, openblas_get_num_threads(), &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor functions[] = {
    {"gemm", NULL, gemm, NULL, NULL, NULL, napi_default, NULL},
    {"biasActivation", NULL, bias_activation, NULL, NULL, NULL, napi_default, NULL},
    {"activationBackward", NULL, activation_backward, NULL, NULL, NULL, napi_default, NULL},
    {"outputDelta", NULL, output_delta, NULL, NULL, NULL, napi_default, NULL},
    {"columnSum", NULL, column_sum, NULL, NULL, NULL, napi_default, NULL},
    {"sgdUpdate", NULL, sgd_update, NULL, NULL, NULL, napi_default, NULL},
    {"adamUpdate", NULL, adam_update, NULL, NULL, NULL, napi_default, NULL},
    {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
    {"getThreads", NULL, get_threads, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof(functions) / sizeof(functions[0]), functions);
  return exports;
}
