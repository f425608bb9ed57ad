{
  "targets": [
    {
      "target_name": "trainyard_kernel",
      "sources": ["kernel.c"],
      "include_dirs": ["/usr/include/x86_64-linux-gnu/openblas-pthread"],
      "libraries": ["-lopenblas", "-lm"],
      "cflags": ["-O3", "-march=native", "-fno-math-errno", "-std=c11"],
      "cflags!": ["-O2"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
