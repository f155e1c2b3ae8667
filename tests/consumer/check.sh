#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check.sh PREFIX CC MOCKAWS [MOCKAWS_OPTION...] - libidc as its users get it: builds
# consumer.c against the libidc installed under PREFIX with pkg-config (--static for a
# static libidc) and as a CMake project with find_package(idc) (idc::idc, and beside a
# shared library idc::idc_static too), checks which libidc each program loads, and runs
# them against a mockaws started with the options given: each
# prints libidc's version, the AWS documentation's example signature, and the number of
# users of store d-1234567890 (30 in the default world). With README (the environment
# variable: the project's README.md), the README's list.c is built with pkg-config too and
# must list those 30 users, each with its status. Fails when any step does.
# run.sh calls it on a temporary install; ci/package-check on the installed packages.
set -euo pipefail
prefix=$1 cc=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

pc=$(find "$prefix"/lib* -name libidc.pc -path '*/pkgconfig/*' | head -n 1)
[ -n "$pc" ] || { echo "FAIL: no libidc.pc under $prefix/lib*"; exit 1; }
libdir=$(dirname "$(dirname "$pc")")
shared=no
[ -e "$libdir/libidc.so.0" ] && shared=yes
echo "libidc under $prefix: libdir ${libdir#"$prefix/"}, shared library: $shared"

# pkg-config: a static libidc brings its Libs.private and Requires.private along
static=--static
[ $shared = yes ] && static=
flags=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags --libs $static libidc)
echo "pkg-config --cflags --libs $static libidc: $flags"
"$cc" -std=c11 -Wall -Wextra -Werror -o "$tmp/with-pkg-config" "$here/consumer.c" $flags

# CMake: find_package(idc) in a project of its own
cmake -S "$here" -B "$tmp/cmake" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$cc" \
    >"$tmp/cmake.log" || { cat "$tmp/cmake.log"; exit 1; }
cmake --build "$tmp/cmake" >"$tmp/cmake-build.log" || { cat "$tmp/cmake-build.log"; exit 1; }

# with a shared libidc: two programs that load it, and consumer_static with libidc.a inside
programs=("$tmp/with-pkg-config" "$tmp/cmake/consumer")
[ $shared = yes ] && programs+=("$tmp/cmake/consumer_static")
for program in "${programs[@]}"; do
    # the whole list first: grep -q leaving early would make ldd fail under pipefail
    loads=$(LD_LIBRARY_PATH="$libdir" ldd "$program")
    if [ $shared = yes ] && [ "${program##*/}" != consumer_static ]; then
        grep -q "libidc.so.0 => $libdir/libidc.so.0" <<<"$loads" ||
            { echo "FAIL: $program does not load $libdir/libidc.so.0:"; echo "$loads"; exit 1; }
    elif grep -q libidc <<<"$loads"; then
        echo "FAIL: $program loads a libidc.so, but should have libidc.a inside"; exit 1
    fi
done

"$@" --port 0 --ready-file "$tmp/ready" 2>"$tmp/mockaws.err" &
pid=$!
for _ in $(seq 200); do [ -s "$tmp/ready" ] && break; sleep 0.05; done
[ -s "$tmp/ready" ] || { echo "FAIL: mockaws did not start"; cat "$tmp/mockaws.err"; exit 1; }
endpoint=http://127.0.0.1:$(cat "$tmp/ready")
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_REGION AWS_DEFAULT_REGION AWS_ENDPOINT_URL HTTPS_PROXY https_proxy
version=$(sed -n 's/^#define IDC_VERSION_STRING "\(.*\)"$/\1/p' "$prefix/include/idc/version.h")
fail=0
for program in "${programs[@]}"; do
    # CMake's programs find a libidc.so outside the system folders by their RUNPATH; one
    # built with pkg-config alone needs the loader told (README, Install)
    loader=()
    [ "${program##*/}" = with-pkg-config ] && loader=(env LD_LIBRARY_PATH="$libdir")
    out=$("${loader[@]}" "$program" "$endpoint" d-1234567890) || { echo "$out"; fail=1; }
    echo "${program##*/}: $(echo "$out" | tr '\n' '|')"
    grep -qx "libidc $version (compiled against $version)" <<<"$out" || fail=1
    # the signature the AWS documentation gives for its get-vanilla example
    grep -qx "signature 5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" \
        <<<"$out" || fail=1
    grep -qx "listed 30 users" <<<"$out" || fail=1
done
if [ -n "${README:-}" ]; then
    # the README's example, exactly as printed: from its first line to the end of the block
    sed -n '/^\/\* list.c: /,/^```/p' "$README" | sed '$d' >"$tmp/list.c"
    [ -s "$tmp/list.c" ] || { echo "FAIL: no list.c example in $README"; exit 1; }
    "$cc" -std=c11 -Wall -Wextra -Werror -o "$tmp/list" "$tmp/list.c" $flags
    listed=$(AWS_REGION=us-east-1 AWS_ENDPOINT_URL=$endpoint LD_LIBRARY_PATH="$libdir" \
        "$tmp/list" d-1234567890) || fail=1
    # a user whose store gives no UserStatus shows "-"
    shown=$(grep -cE '^[^ ]+ (ENABLED|DISABLED|-)$' <<<"$listed" || true)
    disabled=$(grep -c ' DISABLED$' <<<"$listed" || true)
    echo "README's list.c: $shown users listed with their status, $disabled of them DISABLED"
    [ "$shown" -eq 30 ] && [ "$disabled" -gt 0 ] || fail=1
fi
[ $fail -eq 0 ] && echo "${#programs[@]} consumers built against the installed libidc and ran"
exit $fail
