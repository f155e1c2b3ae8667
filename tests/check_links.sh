#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check_links.sh BINARY BACKEND - checks the libraries a built binary needs, directly
# (readelf NEEDED) and transitively (ldd): an mbedtls build links neither OpenSSL nor
# libcurl; an openssl build links OpenSSL's libcrypto and no Mbed TLS.
set -euo pipefail
bin=$1 backend=$2
needed=$(readelf -d "$bin" | awk '/NEEDED/ {gsub(/[][]/, "", $5); print $5}')
all=$(ldd "$bin" | awk '{print $1}')
echo "NEEDED: $(echo $needed)"
fail=0
forbid() { # pattern, where
    if grep -Eq "$1" <<<"$2"; then echo "FAIL: $bin links $(grep -E "$1" <<<"$2" | tr '\n' ' ')($3)"; fail=1; fi
}
require() {
    if ! grep -Eq "$1" <<<"$2"; then echo "FAIL: $bin does not link $1 ($3)"; fail=1; fi
}
case $backend in
mbedtls)
    forbid '^lib(ssl|crypto|curl)\.so' "$all" "an mbedtls build must not pull in OpenSSL or libcurl"
    require '^libmbedcrypto\.so' "$needed" "the crypto backend"
    ;;
openssl)
    require '^libcrypto\.so\.3' "$needed" "the crypto backend"
    forbid '^libmbed' "$all" "an openssl build must not pull in Mbed TLS"
    ;;
*) echo "unknown backend $backend"; exit 2 ;;
esac
[ $fail -eq 0 ] && echo "ok: $backend build links as expected"
exit $fail
