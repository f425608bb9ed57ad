{
  "targets": [
    {
      "target_name": "trainyard_kernel",
      "sources": ["addon.c", "ops.c", "one-hot.c", "parallel-gemm.c", "small-gemm.c"],
      "include_dirs": ["/usr/include/x86_64-linux-gnu/openblas-pthread", "/usr/include/openblas"],
      "libraries": ["-lopenblas", "-lm", "-lpthread"],
      "cflags": ["-O3", "-march=native", "-std=gnu11", "-ffp-contract=fast", "-fno-math-errno"],
      "cflags!": ["-O2"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
