#!/bin/sh
# CI check: rebuilds kernel.wasm from its sources and fails if the committed bytes differ.
# Needs clang and lld (Debian: clang, lld); see .ci/system-packages.sh.
set -eu
cd "$(dirname "$0")"
fresh="$(mktemp -d)/kernel.wasm"
trap 'rm -rf "$(dirname "$fresh")"' EXIT
sh build.sh "$fresh"
if cmp -s "$fresh" kernel.wasm; then
  echo "wasm/kernel.wasm matches its sources ($(wc -c < kernel.wasm) bytes)"
else
  echo "wasm/kernel.wasm differs from what its sources build: run 'npm run build:wasm -w @trainyard/backprop' and commit it" >&2
  exit 1
fi
