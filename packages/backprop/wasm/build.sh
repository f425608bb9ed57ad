#!/bin/sh
# Rebuilds kernel.wasm from its C sources (clang + wasm-ld, no libc). The output is committed, so users
# need no compiler; check.sh verifies that the committed bytes are what these sources give.
# usage: sh wasm/build.sh [output]   (default: wasm/kernel.wasm)
set -eu
cd "$(dirname "$0")"
out="${1:-kernel.wasm}"
CLANG="${CLANG:-clang}"

# Shared memory (for the GEMM helper thread) needs atomics and bulk memory; -O3 vectorises the
# element-wise loops with SIMD128. Relative paths only, so the bytes do not depend on the checkout.
"$CLANG" --target=wasm32 -O3 -msimd128 -matomics -mbulk-memory -nostdlib -ffreestanding -fno-ident \
  -Wall -Wextra -Wno-unused-parameter \
  -Wl,--no-entry -Wl,--import-memory -Wl,--shared-memory -Wl,--max-memory=4294967296 \
  -Wl,--strip-all -Wl,-z,stack-size=65536 \
  -Wl,--export=__heap_base -Wl,--export=gemm -Wl,--export=gemm_scratch_floats \
  -Wl,--export=k_bias_activation -Wl,--export=k_activation_backward -Wl,--export=k_output_delta \
  -Wl,--export=k_column_sum -Wl,--export=k_sgd_update -Wl,--export=k_adam_update \
  -Wl,--export=k_one_hot_forward -Wl,--export=k_one_hot_backward \
  -o "$out" gemm.c kmath.c ../native/ops.c ../native/one-hot.c
