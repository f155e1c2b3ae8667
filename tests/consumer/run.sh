#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# run.sh BUILD_DIR CC - installs the build into a temporary prefix with `cmake --install`,
# then check.sh builds consumer.c against it (pkg-config and find_package), and the README's
# example, and runs them against the installed mockaws serving its default world.
set -euo pipefail
build=$1 cc=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log"
# the installed mockaws, with no --fixtures: it must find the default world installed with it
README=$here/../../README.md "$here/check.sh" "$tmp/prefix" "$cc" "$tmp/prefix/bin/mockaws"
