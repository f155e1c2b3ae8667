#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check_alone.sh SOURCE_DIR BACKEND - libidc alone needs only its crypto/TLS backend and
# its parsers: configures and builds it with idcctl, mockaws, the inventory, libcurl and
# the tests off, while every lookup of SQLite, CivetWeb, cmocka and libcurl is made to fail
# (CMAKE_DISABLE_FIND_PACKAGE_<Name>), and checks that the library references none of
# them. Then, as a control, asks for mockaws with CivetWeb's lookup failing: that configure
# must fail, or the first part proved nothing.
set -uo pipefail
src=$1 backend=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
disabled=(-DCMAKE_DISABLE_FIND_PACKAGE_SQLite3=ON -DCMAKE_DISABLE_FIND_PACKAGE_CivetWeb=ON
          -DCMAKE_DISABLE_FIND_PACKAGE_CMocka=ON -DCMAKE_DISABLE_FIND_PACKAGE_CURL=ON)
alone=(-DIDC_TLS="$backend" -DIDC_WITH_CURL=OFF -DIDC_WITH_INVENTORY=OFF -DIDC_BUILD_CLI=OFF
       -DIDC_BUILD_MOCK=OFF -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=Debug)

if ! cmake -S "$src" -B "$tmp/alone" "${alone[@]}" "${disabled[@]}" >"$tmp/configure.log" 2>&1; then
    cat "$tmp/configure.log"; echo "FAIL: libidc alone did not configure"; exit 1
fi
if ! cmake --build "$tmp/alone" --target idc -j 2 >"$tmp/build.log" 2>&1; then
    cat "$tmp/build.log"; echo "FAIL: libidc alone did not build"; exit 1
fi
lib=$(find "$tmp/alone/client" -name 'libidc.a' | head -n 1)
[ -s "$lib" ] || { echo "FAIL: the build made no libidc.a"; exit 1; }
defined=$(nm -g --defined-only "$lib" | awk 'NF == 3' | wc -l)
[ "$defined" -gt 0 ] || { echo "FAIL: libidc.a defines no symbol"; exit 1; }
refs=$(nm -u "$lib" | grep -Eo '\b(sqlite3|curl|mg|cmocka)_[a-z_]+' | sort -u)
if [ -n "$refs" ]; then
    echo "FAIL: libidc alone references:"; echo "$refs"; exit 1
fi
echo "libidc alone ($backend): configured and built with SQLite, CivetWeb, cmocka and libcurl"
echo "unfindable; $defined public symbols"

if cmake -S "$src" -B "$tmp/control" "${alone[@]/-DIDC_BUILD_MOCK=OFF/-DIDC_BUILD_MOCK=ON}" \
        "${disabled[@]}" >"$tmp/control.log" 2>&1; then
    echo "FAIL: the control (mockaws with CivetWeb unfindable) configured: the lookups were"
    echo "not really disabled, so the check above proves nothing"; exit 1
fi
grep -q CivetWeb "$tmp/control.log" || { cat "$tmp/control.log"; exit 1; }
echo "control: asking for mockaws with CivetWeb unfindable fails to configure, as it should"
