#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# run.sh BUILD_DIR MOCKAWS CC - libidc as its users get it: installs the build into a
# temporary prefix, builds consumer.c against it twice, with pkg-config (--static for a
# static libidc) and as a CMake project with find_package(idc), and runs both against a
# mockaws: each prints libidc's version, the AWS documentation's example signature, and
# the users it listed. Fails when any step does.
set -euo pipefail
build=$1 mockaws=$2 cc=$3
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log"
pc=$(find "$tmp/prefix" -name libidc.pc)
libdir=$(dirname "$(dirname "$pc")")
shared=no
[ -e "$libdir/libidc.so.0" ] && shared=yes
echo "installed into a temporary prefix: libdir ${libdir#"$tmp/prefix/"}, shared library: $shared"

# pkg-config: a static libidc brings its Libs.private and Requires.private along
static=--static
[ $shared = yes ] && static=
flags=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags --libs $static libidc)
echo "pkg-config --cflags --libs $static libidc: ${flags//$tmp\/prefix/PREFIX}"
"$cc" -std=c11 -Wall -Wextra -Werror -o "$tmp/with-pkg-config" "$here/consumer.c" $flags

# CMake: find_package(idc) in a project of its own
cmake -S "$here" -B "$tmp/cmake" -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_C_COMPILER="$cc" \
    >"$tmp/cmake.log" || { cat "$tmp/cmake.log"; exit 1; }
cmake --build "$tmp/cmake" >"$tmp/cmake-build.log" || { cat "$tmp/cmake-build.log"; exit 1; }

for program in "$tmp/with-pkg-config" "$tmp/cmake/consumer"; do
    if [ $shared = yes ]; then
        LD_LIBRARY_PATH="$libdir" ldd "$program" | grep -q "libidc.so.0 => $libdir/libidc.so.0" ||
            { echo "FAIL: $program does not load the installed libidc.so.0"; ldd "$program"; exit 1; }
    elif ldd "$program" | grep -q libidc; then
        echo "FAIL: $program loads a libidc.so, but libidc is static"; exit 1
    fi
done

"$mockaws" --port 0 --ready-file "$tmp/ready" --fixtures "$here/../../fixtures/default.json" \
    2>/dev/null &
pid=$!
for _ in $(seq 200); do [ -s "$tmp/ready" ] && break; sleep 0.05; done
endpoint=http://127.0.0.1:$(cat "$tmp/ready")
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_REGION AWS_DEFAULT_REGION AWS_ENDPOINT_URL HTTPS_PROXY https_proxy
version=$(sed -n 's/^#define IDC_VERSION_STRING "\(.*\)"$/\1/p' "$tmp/prefix/include/idc/version.h")
fail=0
for program in "$tmp/with-pkg-config" "$tmp/cmake/consumer"; do
    out=$(LD_LIBRARY_PATH="$libdir" "$program" "$endpoint" d-1234567890) || { echo "$out"; fail=1; }
    echo "${program##*/}: $(echo "$out" | tr '\n' '|')"
    grep -qx "libidc $version (compiled against $version)" <<<"$out" || fail=1
    # the signature the AWS documentation gives for its get-vanilla example
    grep -qx "signature 5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" \
        <<<"$out" || fail=1
    grep -qx "listed 30 users" <<<"$out" || fail=1
done
[ $fail -eq 0 ] && echo "both consumers built against the installed libidc and ran"
exit $fail
