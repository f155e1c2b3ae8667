#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# sigv4_cli.sh CASE IDCCTL REPO - one behaviour of `idcctl sigv4 sign|verify` per CASE,
# through the real binary: output, exit status and messages. Keys are the AWS
# documentation examples.
set -uo pipefail
case_name=$1 idcctl=$2 repo=$3
vec=$repo/spec/sigv4/vectors/identitystore-list-users
akid=AKIAIOSFODNN7EXAMPLE
secret='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_REGION AWS_DEFAULT_REGION

fail() { echo "FAIL: $*"; exit 1; }
# run EXPECTED_STATUS CMD... : runs, keeps stdout/stderr in $out/$errout, checks the status
run() {
    local want=$1; shift
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    out=$(cat "$tmp/out"); errout=$(cat "$tmp/err")
    [ "$got" -eq "$want" ] || { echo "stdout: $out"; echo "stderr: $errout"; fail "exit status $got, expected $want: $*"; }
}
# Substring tests (not grep: a needle of several lines would match any one of them).
has() { [[ $1 == *"$2"* ]] || fail "expected to find '$2' in: $1"; }
hasnt() { [[ $1 != *"$2"* ]] || fail "did not expect '$2' in: $1"; }

sign_vec() { # extra args...
    AWS_SECRET_ACCESS_KEY=$secret run 0 "$idcctl" sigv4 sign --access-key "$akid" \
        --region us-east-1 --service identitystore --time 20260101T120000Z "$@" "$vec/request.txt"
}

case $case_name in
explain_labels)
    sign_vec --explain
    has "$out" "Canonical request:"
    has "$out" "String to sign:"
    has "$out" "Signature:"
    has "$out" "$(cat "$vec/header-canonical-request.txt")"
    has "$out" "$(cat "$vec/header-string-to-sign.txt")"
    ;;
signs_spec_vector)
    sign_vec
    line=$(grep '^Authorization: ' <<<"$out") || fail "no 'Authorization: ' line in: $out"
    expected=$(grep '^Authorization:' "$vec/header-signed-request.txt" | sed 's/^Authorization://')
    [ "$line" = "Authorization: $expected" ] || fail "got '$line', expected '$expected'"
    has "$out" "X-Amz-Date: 20260101T120000Z"
    [ "$(tail -n 1 <<<"$out")" = '{"IdentityStoreId":"d-1234567890","MaxResults":100}' ] || fail "body not last"
    ;;
secret_stdin_conflict)
    run 2 "$idcctl" sigv4 sign --access-key "$akid" --secret-stdin - <"$vec/request.txt"
    has "$errout" "standard input"
    has "$errout" "hint: run 'idcctl sigv4 sign --help'"
    ;;
secret_stdin_reads)
    run 0 "$idcctl" sigv4 sign --access-key "$akid" --secret-stdin --time 20260101T120000Z \
        "$vec/request.txt" <<<"$secret"
    has "$out" "Signature=$(cat "$vec/header-signature.txt")"
    ;;
time_conflict)
    printf 'GET / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n\n' >"$tmp/req"
    AWS_SECRET_ACCESS_KEY=$secret run 1 "$idcctl" sigv4 sign --access-key "$akid" \
        --region us-east-1 --service service --time 20150830T123700Z "$tmp/req"
    has "$errout" "X-Amz-Date 20150830T123600Z but the signing time is 20150830T123700Z"
    ;;
keeps_request_date)
    printf 'GET / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z\n\n' >"$tmp/req"
    AWS_SECRET_ACCESS_KEY='wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' run 0 "$idcctl" sigv4 sign \
        --access-key AKIDEXAMPLE --region us-east-1 --service service "$tmp/req"
    # the suite's get-vanilla signature: the request's own date was used, and not added twice
    has "$out" "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    [ "$(grep -ci '^x-amz-date' <<<"$out")" -eq 1 ] || fail "X-Amz-Date appears twice: $out"
    ;;
missing_secret)
    run 2 "$idcctl" sigv4 sign --access-key "$akid" "$vec/request.txt"
    has "$errout" "AWS_SECRET_ACCESS_KEY"
    run 2 "$idcctl" sigv4 sign "$vec/request.txt"
    has "$errout" "no access key id"
    ;;
presign_query)
    sign_vec --presign 900
    first=$(head -n 1 <<<"$out")
    has "$first" "X-Amz-Expires=900"
    has "$first" "X-Amz-Credential=$akid%2F20260101%2Fus-east-1%2Fidentitystore%2Faws4_request"
    has "$first" "&X-Amz-Signature="
    hasnt "$out" "Authorization:"
    ;;
verify_reports_diff)
    cp -r "$vec" "$tmp/case"
    sed -i 's/^POST$/PUT/' "$tmp/case/header-canonical-request.txt"
    run 1 "$idcctl" sigv4 verify "$tmp/case"
    has "$out" "FAIL $tmp/case: [header] canonical request: method differs (line 1, column 2): expected 'PUT', got 'POST'"
    has "$out" "0 passed, 1 failed, 0 skipped"
    run 0 "$idcctl" sigv4 verify "$vec"
    has "$out" "1 passed, 0 failed, 0 skipped"
    mkdir "$tmp/empty"
    run 1 "$idcctl" sigv4 verify "$tmp/empty"
    has "$errout" "no test case ran"
    ;;
bad_request_line)
    printf 'GET/HTTP/1.1\nHost:x\n\n' >"$tmp/req"
    AWS_SECRET_ACCESS_KEY=$secret run 1 "$idcctl" sigv4 sign --access-key "$akid" --region us-east-1 --service s "$tmp/req"
    has "$errout" "line 1: expected 'METHOD TARGET HTTP/1.1'"
    ;;
header_without_colon)
    printf 'GET / HTTP/1.1\nHost example.com\n\n' >"$tmp/req"
    AWS_SECRET_ACCESS_KEY=$secret run 1 "$idcctl" sigv4 sign --access-key "$akid" --region us-east-1 --service s "$tmp/req"
    has "$errout" "line 2: header without a colon: 'Host example.com'"
    ;;
secret_never_printed)
    sign_vec --explain
    hasnt "$out$errout" "$secret"
    AWS_SECRET_ACCESS_KEY=$secret run 1 "$idcctl" sigv4 sign --access-key "a/b" --region us-east-1 --service s "$vec/request.txt"
    hasnt "$out$errout" "$secret"
    has "$errout" "access key id"
    ;;
service_inferred)
    AWS_SECRET_ACCESS_KEY=$secret run 0 "$idcctl" sigv4 sign --access-key "$akid" --time 20260101T120000Z "$vec/request.txt"
    has "$out" "Signature=$(cat "$vec/header-signature.txt")"
    printf 'GET / HTTP/1.1\nHost:localhost:8080\n\n' >"$tmp/req"
    AWS_SECRET_ACCESS_KEY=$secret run 2 "$idcctl" sigv4 sign --access-key "$akid" "$tmp/req"
    has "$errout" "give --service"
    ;;
s3_mode)
    printf 'PUT /bucket/a%%20b//c.txt HTTP/1.1\nHost:s3.amazonaws.com\n\nhello' >"$tmp/req"
    AWS_SECRET_ACCESS_KEY=$secret run 0 "$idcctl" sigv4 sign --s3 --explain --access-key "$akid" \
        --region us-east-1 --service s3 --time 20260101T120000Z "$tmp/req"
    has "$out" $'PUT\n/bucket/a%20b//c.txt\n'
    has "$out" "x-amz-content-sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    ;;
unknown_option)
    run 2 "$idcctl" sigv4 sign --frobnicate
    has "$errout" "hint: run 'idcctl sigv4 sign --help'"
    run 0 "$idcctl" sigv4 sign --help
    has "$out" "--secret-stdin"
    ;;
*) fail "unknown case $case_name" ;;
esac
echo "ok: $case_name"
