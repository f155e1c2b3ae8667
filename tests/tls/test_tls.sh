#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# test_tls.sh CASE PROBE MOCKAWS REPO - one TLS behaviour of the compiled backend per CASE,
# through tls_probe and a real TLS front (ci/mockaws-tls: stunnel or socat before mockaws).
# Cases: right_ca wrong_ca system_store wrong_host closed_port.
set -uo pipefail
if [ $# -ne 4 ]; then
    echo "usage: test_tls.sh CASE PROBE MOCKAWS REPO" >&2
    exit 2
fi
case_name=$1 probe=$2 mockaws=$3 repo=$4
tmp=$(mktemp -d)
front_pid=

stop_front() {
    if [ -n "$front_pid" ]; then
        kill -TERM "$front_pid" 2>/dev/null
        wait "$front_pid" 2>/dev/null
        front_pid=
    fi
}
trap 'stop_front; rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*"; exit 1; }
has() { grep -qF -- "$2" <<<"$1" || fail "expected to find '$2' in: $1"; }

# run EXPECTED_STATUS ARGS... : runs the probe, keeps stdout/stderr in $out/$errout
run() {
    local want=$1
    shift
    "$probe" "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    out=$(cat "$tmp/out")
    errout=$(cat "$tmp/err")
    echo "tls_probe $*: exit $got"
    [ -z "$out" ] || echo "  stdout: $out"
    [ -z "$errout" ] || echo "  stderr: $errout"
    [ "$got" -eq "$want" ] || fail "exit status $got, expected $want"
}

start_front() {
    MOCKAWS=$mockaws "$repo/ci/mockaws-tls" "$tmp/ready" \
        --fixtures "$repo/fixtures/default.json" 2>"$tmp/front.log" &
    front_pid=$!
    local i
    for ((i = 0; i < 300; i++)); do
        if [ -s "$tmp/ready" ] && [ "$(wc -l <"$tmp/ready")" -ge 2 ]; then
            url=$(sed -n 1p "$tmp/ready")
            ca=$(sed -n 2p "$tmp/ready")
            port=${url##*:}
            return 0
        fi
        kill -0 "$front_pid" 2>/dev/null || break
        sleep 0.1
    done
    cat "$tmp/front.log"
    fail "ci/mockaws-tls did not become ready"
}

# A CA nobody trusts: neither the front's nor the system's.
other_ca() {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
        -subj "/CN=tls_probe unrelated CA" -keyout "$tmp/other.key" -out "$tmp/other.pem" \
        >/dev/null 2>&1 || fail "openssl could not make a throw-away CA"
    echo "$tmp/other.pem"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

backend=$("$probe" --backend) || fail "tls_probe --backend failed"
start_front

case $case_name in
right_ca)
    run 0 localhost "$port" "$ca"
    grep -qE '^HTTP/1\.[01] [0-9]{3}' <<<"$out" || fail "no HTTP status line in: $out"
    ;;
wrong_ca)
    run 1 localhost "$port" "$(other_ca)"
    has "$errout" "IDC_ERR_TLS_VERIFY"
    has "$errout" "certificate verification failed for localhost"
    has "$errout" "unknown CA"
    ;;
system_store)
    run 1 localhost "$port" -
    has "$errout" "IDC_ERR_TLS_VERIFY"
    has "$errout" "certificate verification failed for localhost"
    ;;
wrong_host)
    run 1 127.0.0.1 "$port" "$ca"
    has "$errout" "IDC_ERR_TLS_VERIFY"
    if [ "$backend" = mbedtls ]; then
        has "$errout" "cannot verify a certificate for an IP address (127.0.0.1)"
        has "$errout" "such as localhost"
    else
        has "$errout" "the certificate does not name 127.0.0.1"
        has "$errout" "mismatch"
    fi
    ;;
closed_port)
    run 1 localhost "$(free_port)" "$ca"
    has "$errout" "IDC_ERR_CONNECT"
    has "$errout" "cannot connect to localhost"
    ;;
*)
    fail "unknown case '$case_name'"
    ;;
esac
stop_front
echo "PASS: tls/$case_name ($backend)"
