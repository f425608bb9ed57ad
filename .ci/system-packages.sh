#!/usr/bin/env bash
# Debian packages the build, the tests and the benchmarks use; installs only what is missing.
set -euo pipefail
wanted=(libopenblas-dev clang lld python3-numpy python3-pandas python3-sklearn docker-compose chromium)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
