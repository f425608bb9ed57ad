// The few math functions the element-wise ops need. Native builds use libm; the wasm build has no
// libc, so it brings its own (wasm/kmath.c), computed in double and rounded once.
#ifndef TRAINYARD_KMATH_H
#define TRAINYARD_KMATH_H

#ifdef __wasm__
double k_exp(double x);
double k_log(double x);
static inline float k_expf(float x) { return (float)k_exp((double)x); }
float k_tanhf(float x);
static inline float k_sqrtf(float x) { return __builtin_sqrtf(x); }
#define K_INFINITY __builtin_inff()
#else
#include <math.h>
static inline float k_expf(float x) { return expf(x); }
static inline double k_log(double x) { return log(x); }
static inline float k_tanhf(float x) { return tanhf(x); }
static inline float k_sqrtf(float x) { return sqrtf(x); }
#define K_INFINITY INFINITY
#endif

#endif
