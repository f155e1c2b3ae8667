#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# mockaws_bench.sh [SECONDS] - a signed ListUsers (MaxResults=100) replayed by wrk over
# kept-alive connections on loopback: requests/s and p99 latency with signature and policy
# checks on, against mockaws started with the default fixture, then against
# `python3 -m moto.server` holding the same users, in the same run. Prints figures only.
# Needs wrk (apt-get install wrk); moto is optional (pip's moto in this Python).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
connections=${BENCH_CONNECTIONS:-16}
mockaws=${MOCKAWS:-build/openssl/bin/mockaws}
idcctl=${IDCCTL:-build/openssl/bin/idcctl}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }
[ -x "$mockaws" ] && [ -x "$idcctl" ] || { echo "build first: cmake --build build/openssl"; exit 1; }

tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
when=20260101T120000Z

# sign_for HOST:PORT OUT - the replayed request, signed by idcctl at $when
sign_for() {
    printf 'POST / HTTP/1.1\nHost:%s\nContent-Type:application/x-amz-json-1.1\nX-Amz-Target:AWSIdentityStore.ListUsers\n\n{"IdentityStoreId":"%s","MaxResults":100}' \
        "$1" "${STORE:-d-1234567890}" >"$tmp/request.txt"
    "$idcctl" sigv4 sign --region us-east-1 --service identitystore --time "$when" "$tmp/request.txt" >"$2"
}

wait_port() { # file
    for _ in $(seq 200); do [ -s "$1" ] && return 0; sleep 0.05; done
    echo "server did not start"; exit 1
}

"$mockaws" --fixtures fixtures/default.json --port 0 --ready-file "$tmp/mock.ready" \
    --fixed-time "$when" 2>"$tmp/mock.err" &
pids+=($!)
wait_port "$tmp/mock.ready"
port=$(cat "$tmp/mock.ready")
sign_for "127.0.0.1:$port" "$tmp/mock.signed"
echo "== mockaws (default fixture, 30 users per page, signature and policy checks on), wrk -t1 -c$connections -d${seconds}s"
mock_out=$(REPLAY_REQUEST="$tmp/mock.signed" wrk -t1 -c"$connections" -d"${seconds}s" -s tests/bench/replay.lua \
    "http://127.0.0.1:$port/")
echo "$mock_out" | grep -E 'requests/s|latency|non-2xx'
mock_rps=$(echo "$mock_out" | awk '/^requests\/s:/ {print $2}')

if ! python3 -c 'import moto.server' 2>/dev/null; then
    echo "== moto: not installed for python3, skipped"
    exit 0
fi
moto_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m moto.server -p "$moto_port" >"$tmp/moto.log" 2>&1 &
pids+=($!)
for _ in $(seq 200); do curl -s "http://127.0.0.1:$moto_port/" >/dev/null && break; sleep 0.1; done
store=$(python3 tests/bench/moto_seed.py "http://127.0.0.1:$moto_port" fixtures/default.json)
STORE=$store sign_for "127.0.0.1:$moto_port" "$tmp/moto.signed"
echo "== python3 -m moto.server (the same 30 users), wrk -t1 -c$connections -d${seconds}s"
moto_out=$(REPLAY_REQUEST="$tmp/moto.signed" wrk -t1 -c"$connections" -d"${seconds}s" -s tests/bench/replay.lua \
    "http://127.0.0.1:$moto_port/")
echo "$moto_out" | grep -E 'requests/s|latency|non-2xx'
moto_rps=$(echo "$moto_out" | awk '/^requests\/s:/ {print $2}')
awk -v a="$mock_rps" -v b="$moto_rps" 'BEGIN { if (b > 0) printf "mockaws / moto: %.0fx\n", a / b }'
