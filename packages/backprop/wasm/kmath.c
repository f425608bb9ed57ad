// exp, log and tanh for the wasm build, which has no libc. Computed in double and rounded once, so
// the float results are as good as the reference kernel's (Math.exp/Math.log rounded to float32).
#include "../native/kmath.h"

static const double LN2_HI = 6.93147180369123816490e-01;  // ln 2 split so k·LN2_HI is exact
static const double LN2_LO = 1.90821492927058770002e-10;
static const double LOG2_E = 1.44269504088896338700e+00;

static inline double with_exponent(long long bits) {
  union { long long i; double d; } u = { bits };
  return u.d;
}

static inline long long bits_of(double x) {
  union { double d; long long i; } u = { x };
  return u.i;
}

// e^x: x = k·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor series to r^13 (error < 1e-17), times 2^k.
double k_exp(double x) {
  if (x != x) return x;
  if (x > 709.0) return __builtin_inf();
  if (x < -745.0) return 0.0;
  const double k = __builtin_nearbyint(x * LOG2_E);
  const double r = (x - k * LN2_HI) - k * LN2_LO;
  // Horner over 1/i!, i = 13 … 1.
  static const double inverse_factorial[14] = {
    1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320, 1.0 / 362880,
    1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800,
  };
  double sum = inverse_factorial[13];
  for (int i = 12; i >= 0; i--) sum = sum * r + inverse_factorial[i];
  // 2^k in two factors, so that k down to −1074 (subnormal results) stays representable.
  const int ki = (int)k;
  const int half = ki / 2;
  return sum * with_exponent((long long)(half + 1023) << 52) * with_exponent((long long)(ki - half + 1023) << 52);
}

// ln x: x = m·2^e with m in [√½, √2), ln m = 2·atanh(s), s = (m−1)/(m+1), |s| < 0.172, series to s^25.
double k_log(double x) {
  if (x != x || x < 0) return __builtin_nan("");
  if (x == 0) return -__builtin_inf();
  if (x == __builtin_inf()) return x;
  int e = 0;
  if (x < 2.2250738585072014e-308) {  // subnormal: scale into the normal range first
    x *= 18014398509481984.0;  // 2^54
    e = -54;
  }
  const long long bits = bits_of(x);
  e += (int)((bits >> 52) & 0x7ff) - 1023;
  double m = with_exponent((bits & 0x000fffffffffffffLL) | 0x3ff0000000000000LL);
  if (m > 1.4142135623730951) {
    m *= 0.5;
    e += 1;
  }
  const double s = (m - 1) / (m + 1), s2 = s * s;
  // Horner over 1/(2i+1), i = 12 … 0.
  double sum = 1.0 / 25;
  for (int i = 11; i >= 0; i--) sum = sum * s2 + 1.0 / (2 * i + 1);
  return 2 * s * sum + e * LN2_LO + e * LN2_HI;
}

// tanh x = sign(x)·(1 − 2/(e^{2|x|} + 1)); in double the cancellation near 0 costs nothing a float sees.
float k_tanhf(float x) {
  const double ax = x < 0 ? -(double)x : (double)x;
  if (ax != ax) return x;
  if (ax < 1e-4) return (float)(x - (double)x * x * x / 3);  // the next term, 2x⁵/15, is below float's reach
  const double t = 1.0 - 2.0 / (k_exp(2.0 * ax) + 1.0);
  return (float)(x < 0 ? -t : t);
}
