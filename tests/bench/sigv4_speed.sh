#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# sigv4_speed.sh [SECONDS] - signing speed side by side in one run: `idcctl sigv4 speed` for
# each built backend (build/openssl, build/mbedtls), then botocore's SigV4Auth on the same
# ListUsers request when this machine's Python has botocore. Prints figures only.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-5}
for backend in openssl mbedtls; do
    bin=build/$backend/bin/idcctl
    if [ -x "$bin" ]; then
        echo "== idcctl sigv4 speed --seconds $seconds ($backend)"
        "$bin" sigv4 speed --seconds "$seconds"
        echo
    else
        echo "== $backend: $bin not built (cmake -S . -B build/$backend -DIDC_TLS=$backend)"
    fi
done
if python3 -c 'import botocore' 2>/dev/null; then
    echo "== botocore SigV4Auth (same request, same keys, one core)"
    python3 tests/bench/botocore_sigv4.py "$seconds"
else
    echo "== botocore not installed for python3: skipped"
fi
