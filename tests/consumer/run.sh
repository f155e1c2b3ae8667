#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# run.sh BUILD_DIR MOCKAWS CC - installs the build into a temporary prefix with
# `cmake --install`, then check.sh builds consumer.c against it (pkg-config and
# find_package), and the README's example, and runs them against MOCKAWS serving the
# default world.
set -euo pipefail
build=$1 mockaws=$2 cc=$3
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log"
README=$here/../../README.md "$here/check.sh" "$tmp/prefix" "$cc" "$mockaws" --fixtures "$here/../../fixtures/default.json"
