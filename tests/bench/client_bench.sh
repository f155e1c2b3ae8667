#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# client_bench.sh [USERS] - libidc listing speed: every user of mockaws --synthetic-users USERS
# (default 100000, plus the fixture's 30) listed by idc_drive for each built backend and
# transport over plain HTTP on loopback, printing wall time, requests, connections and peak
# RSS; then 10,000 users with --latency-ms 20, against the 1.1 x pages x 20 ms aim.
# Figures only, nothing asserted.
set -euo pipefail
cd "$(dirname "$0")/../.."
users=${1:-100000}
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

start_mock() { # args...
    [ -n "$pid" ] && kill "$pid" && wait "$pid" 2>/dev/null || true
    rm -f "$tmp/ready"
    build/openssl/bin/mockaws --fixtures fixtures/default.json --port 0 --ready-file "$tmp/ready" "$@" 2>/dev/null &
    pid=$!
    for _ in $(seq 600); do [ -s "$tmp/ready" ] && break; sleep 0.05; done
    endpoint=http://127.0.0.1:$(cat "$tmp/ready")
}

run() { # backend transport
    local drive=build/$1/bin/idc_drive
    [ -x "$drive" ] || { echo "$1/$2: $drive not built"; return; }
    "$drive" --transport "$2" "$endpoint" list-users d-1234567890 | sed "s|^stats|$1/$2:|"
}

start_mock --synthetic-users "$users"
echo "== listing $((users + 30)) users over plain HTTP on loopback (MaxResults=100)"
for backend in openssl mbedtls; do
    for transport in native curl; do
        [ "$backend" = mbedtls ] && [ "$transport" = curl ] && continue
        run "$backend" "$transport"
    done
done

start_mock --synthetic-users 9970 --latency-ms 20
echo "== 10,000 users with --latency-ms 20: aim <= 1.1 x 100 pages x 20 ms = 2200 ms"
run openssl native
run openssl curl
