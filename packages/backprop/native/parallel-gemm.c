// Threads for the native GEMM, ours rather than OpenBLAS's: OpenBLAS's workers spin while they wait,
// which on a shared machine steals the cores other jobs run on. Here each thread runs a single-threaded
// cblas_sgemm on its own slice of C, and sleeps on a condition variable in between.
#include <pthread.h>
#include <stdlib.h>
#include <cblas.h>
#include "parallel-gemm.h"

typedef struct {
  int trans_a, trans_b, m, n, k, lda, ldb, ldc;
  float alpha, beta;
  const float *a, *b;
  float *c;
} Slice;

typedef struct {
  pthread_t thread;
  GemmPool *pool;
  Slice slice;
  int pending;  // a slice is waiting for this helper (guarded by pool->lock)
} Helper;

struct GemmPool {
  pthread_mutex_t lock;
  pthread_cond_t wake, done;
  int quit;
  int started;
  Helper helpers[PARALLEL_GEMM_MAX_THREADS - 1];
};

static void run_slice(const Slice *s) {
  if (s->m == 0 || s->n == 0) return;
  cblas_sgemm(CblasRowMajor, s->trans_a ? CblasTrans : CblasNoTrans, s->trans_b ? CblasTrans : CblasNoTrans, s->m, s->n, s->k,
              s->alpha, s->a, s->lda, s->b, s->ldb, s->beta, s->c, s->ldc);
}

static void *helper_main(void *arg) {
  Helper *self = arg;
  GemmPool *pool = self->pool;
  pthread_mutex_lock(&pool->lock);
  for (;;) {
    while (!self->pending && !pool->quit) pthread_cond_wait(&pool->wake, &pool->lock);
    if (pool->quit) break;
    const Slice slice = self->slice;
    pthread_mutex_unlock(&pool->lock);
    run_slice(&slice);
    pthread_mutex_lock(&pool->lock);
    self->pending = 0;
    pthread_cond_broadcast(&pool->done);
  }
  pthread_mutex_unlock(&pool->lock);
  return NULL;
}

GemmPool *gemm_pool_create(void) {
  GemmPool *pool = calloc(1, sizeof(GemmPool));
  if (pool == NULL) return NULL;
  pthread_mutex_init(&pool->lock, NULL);
  pthread_cond_init(&pool->wake, NULL);
  pthread_cond_init(&pool->done, NULL);
  return pool;
}

// Starts helpers until `count` run; returns how many do.
static int ensure_helpers(GemmPool *pool, int count) {
  while (pool->started < count) {
    Helper *helper = &pool->helpers[pool->started];
    helper->pool = pool;
    helper->pending = 0;
    if (pthread_create(&helper->thread, NULL, helper_main, helper) != 0) break;
    pool->started++;
  }
  return pool->started;
}

void gemm_pool_destroy(GemmPool *pool) {
  if (pool == NULL) return;
  pthread_mutex_lock(&pool->lock);
  pool->quit = 1;
  pthread_cond_broadcast(&pool->wake);
  pthread_mutex_unlock(&pool->lock);
  for (int i = 0; i < pool->started; i++) pthread_join(pool->helpers[i].thread, NULL);
  pthread_cond_destroy(&pool->wake);
  pthread_cond_destroy(&pool->done);
  pthread_mutex_destroy(&pool->lock);
  free(pool);
}

// Slice t of `parts` along C's longer side, rounded to 16 columns or 8 rows (whole SIMD tiles).
static Slice slice_of(const Slice *whole, int t, int parts) {
  Slice s = *whole;
  const int by_columns = whole->n >= whole->m;
  const int extent = by_columns ? whole->n : whole->m, unit = by_columns ? 16 : 8;
  const int step = ((extent + parts - 1) / parts + unit - 1) / unit * unit;
  const int start = t * step < extent ? t * step : extent;
  const int size = start + step < extent ? step : extent - start;
  if (by_columns) {
    s.n = size;
    s.b = whole->b + (long)start * (whole->trans_b ? whole->ldb : 1);
    s.c = whole->c + start;
  } else {
    s.m = size;
    s.a = whole->a + (long)start * (whole->trans_a ? 1 : whole->lda);
    s.c = whole->c + (long)start * whole->ldc;
  }
  return s;
}

int parallel_gemm(GemmPool *pool, int threads, int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                  const float *b, float beta, float *c) {
  const Slice whole = {trans_a, trans_b, m, n, k, trans_a ? m : k, trans_b ? k : n, n, alpha, beta, a, b, c};
  if (threads > PARALLEL_GEMM_MAX_THREADS) threads = PARALLEL_GEMM_MAX_THREADS;
  pthread_mutex_lock(&pool->lock);
  const int helpers = ensure_helpers(pool, threads - 1);
  if (helpers < threads - 1) {
    pthread_mutex_unlock(&pool->lock);
    return -1;
  }
  for (int t = 1; t < threads; t++) {
    pool->helpers[t - 1].slice = slice_of(&whole, t, threads);
    pool->helpers[t - 1].pending = 1;
  }
  pthread_cond_broadcast(&pool->wake);
  pthread_mutex_unlock(&pool->lock);
  const Slice mine = slice_of(&whole, 0, threads);
  run_slice(&mine);
  pthread_mutex_lock(&pool->lock);
  for (int t = 1; t < threads; t++)
    while (pool->helpers[t - 1].pending) pthread_cond_wait(&pool->done, &pool->lock);
  pthread_mutex_unlock(&pool->lock);
  return 0;
}
