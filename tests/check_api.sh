#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check_api.sh INCLUDE_DIR GENERATED_INCLUDE_DIR CC CXX LIBIDC... - checks what libidc shows
# its users: every global symbol each installed library defines (libidc.a) or exports
# (libidc.so) starts with idc_ and is declared in a public header (the internals are local
# or hidden), no string in it names
# idcctl (the library speaks for itself), and every public header compiles on its own as
# C11 and as C++ (CXX may be empty when there is no C++ compiler: that part is then reported
# as skipped).
set -uo pipefail
inc=$1 gen=$2 cc=$3 cxx=$4
shift 4
fail=0

[ $# -gt 0 ] || { echo "FAIL: no library to check"; exit 1; }
# every identifier the public headers name: an exported symbol must be one of them
named=$(cat "$inc"/idc/*.h "$gen"/idc/*.h | grep -oE '\bidc_[A-Za-z0-9_]+\b' | sort -u)
for lib in "$@"; do
    [ -s "$lib" ] || { echo "FAIL: $lib is missing or empty"; fail=1; continue; }
    # A shared library shows what it exports (its dynamic symbols), a static one its
    # globals. Sanitizer builds add their own globals (__asan_*, __odr_asan_*, __ubsan_*),
    # and the linker gives a shared object _init and _fini: not ours.
    case $lib in
    *.so*) list=(nm -D --defined-only "$lib") ;;
    *) list=(nm -g --defined-only "$lib") ;;
    esac
    symbols=$("${list[@]}" | awk 'NF == 3 {print $3}' |
        grep -Ev '^__(odr_)?(a|ub)san|^_(init|fini)$' | sed 's/@.*//' | sort -u)
    stray=$(grep -v '^idc_' <<<"$symbols")
    if [ -n "$stray" ]; then
        echo "FAIL: ${lib##*/}: global symbols without the idc_ prefix:"
        sed 's/^/  /' <<<"$stray"
        fail=1
    fi
    [ -n "$symbols" ] || { echo "FAIL: ${lib##*/} shows no global symbol"; fail=1; continue; }
    unnamed=$(comm -23 <(printf '%s\n' "$symbols") <(printf '%s\n' "$named"))
    if [ -n "$unnamed" ]; then
        echo "FAIL: ${lib##*/} shows symbols no public header declares:"
        sed 's/^/  /' <<<"$unnamed"
        fail=1
    fi
    echo "${lib##*/}: $(wc -l <<<"$symbols") global symbols, each idc_-prefixed and declared in a public header unless listed above"
    if grep -qi idcctl < <(strings "$lib"); then
        echo "FAIL: ${lib##*/} names idcctl:"
        strings "$lib" | grep -i idcctl | sed 's/^/  /' | head
        fail=1
    fi
done

dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
headers=$( (cd "$inc" && ls idc/*.h); (cd "$gen" && ls idc/*.h) )
for h in $headers; do
    printf '#include <%s>\n#include <%s>\nint main(void) { return 0; }\n' "$h" "$h" >"$dir/c.c"
    if ! "$cc" -std=c11 -Wall -Wextra -Werror -pedantic -I"$inc" -I"$gen" -fsyntax-only "$dir/c.c" 2>"$dir/err"; then
        echo "FAIL: $h does not compile on its own as C11:"; sed 's/^/  /' "$dir/err"; fail=1
    fi
    [ -n "$cxx" ] || continue
    printf '#include <%s>\nint main() { return 0; }\n' "$h" >"$dir/cc.cpp"
    if ! "$cxx" -std=c++11 -Wall -Wextra -Werror -pedantic -I"$inc" -I"$gen" -fsyntax-only "$dir/cc.cpp" 2>"$dir/err"; then
        echo "FAIL: $h does not compile as C++:"; sed 's/^/  /' "$dir/err"; fail=1
    fi
done
echo "$(wc -w <<<"$headers") public headers checked as C11${cxx:+ and C++}"
[ -n "$cxx" ] || echo "note: no C++ compiler: the C++ check was skipped"
exit $fail
