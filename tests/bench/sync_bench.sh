#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# sync_bench.sh [USERS] - idcctl sync of mockaws --synthetic-users USERS (default 100000,
# plus the fixture's 30) into a fresh inventory, then a second sync with nothing changed,
# with wall time and peak RSS, and the same users listed live as JSON; side by side,
# `aws identitystore list-users` reading the same store from the same mockaws (it only
# lists, it stores nothing). Aim for the first sync: <= 1.5 s and <= 64 MB. Figures only,
# nothing asserted.
set -euo pipefail
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 1; }
cd "$(dirname "$0")/../.."
users=${1:-100000}
build=${BUILD:-build/openssl}
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

"$build/bin/mockaws" --fixtures fixtures/default.json --port 0 --ready-file "$tmp/ready" \
    --synthetic-users "$users" 2>/dev/null &
pid=$!
for _ in $(seq 600); do [ -s "$tmp/ready" ] && break; sleep 0.05; done
endpoint=http://127.0.0.1:$(cat "$tmp/ready")
export IDC_HOME=$tmp/home

measure() { # label command...: prints "label: wall S s, peak RSS M MB"
    local label=$1
    shift
    /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" ||
        { cat "$tmp/err"; exit 1; }
    read -r wall rss <"$tmp/time"
    awk -v l="$label:" -v w="$wall" -v r="$rss" 'BEGIN { printf "%-34s wall %6.2f s, peak RSS %6.1f MB\n", l, w, r / 1024 }'
}

"$build/bin/idcctl" integration add --label bench --region us-east-1 \
    --identity-store-id d-1234567890 --endpoint-url "$endpoint" --quiet
echo "== $((users + 30)) users, plain HTTP on loopback, $("$build/bin/idcctl" --version | head -1)"
measure "idcctl sync (empty inventory)" "$build/bin/idcctl" sync --label bench --no-progress
cat "$tmp/out"
measure "idcctl sync (nothing changed)" "$build/bin/idcctl" sync --label bench --no-progress
cat "$tmp/out"
measure "idcctl users --output csv" "$build/bin/idcctl" users --label bench --output csv
echo "  $(($(wc -l <"$tmp/out") - 1)) rows from the inventory"
measure "idcctl users --live --output json" "$build/bin/idcctl" users --live --label bench --output json
python3 -c 'import json,sys; print("  %d users listed from mockaws" % len(json.load(open(sys.argv[1]))["Users"]))' "$tmp/out"
if command -v aws >/dev/null; then
    export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER=''
    measure "aws identitystore list-users" aws identitystore list-users --region us-east-1 \
        --endpoint-url "$endpoint" --identity-store-id d-1234567890 --output json
    python3 -c 'import json,sys; print("  %d users" % len(json.load(open(sys.argv[1]))["Users"]))' "$tmp/out"
else
    echo "aws CLI not installed: no side-by-side figure"
fi
