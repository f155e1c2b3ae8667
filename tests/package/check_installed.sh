#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check_installed.sh DEB_DIR CONSUMER_DIR - run by ci/package-check as root inside a bare
# Debian 12: installs the packages in DEB_DIR with apt and uses them as their users would.
#   1. idcctl and mockaws: mockaws serves its installed default world; idcctl adds an
#      integration, syncs it, lists the users with their status, deletes one, syncs again;
#   2. libidc0 and libidc-dev: CONSUMER_DIR/check.sh builds programs against /usr (pkg-config,
#      find_package, the README's example) and runs them against the installed mockaws;
#   3. every package purged: no file of theirs is left.
set -euo pipefail
debs=$1 consumer=$2
cd /tmp
mock=
trap '[ -n "$mock" ] && kill "$mock" 2>/dev/null; true' EXIT
fail() { echo "FAIL: $*"; exit 1; }
apt_install() {
    apt-get install -y -qq --no-install-recommends "$@" >/tmp/apt.log 2>&1 ||
        { cat /tmp/apt.log; fail "apt-get install $*"; }
}
apt-get update -qq >/dev/null

echo "==> apt-get install ./idcctl_*.deb ./mockaws_*.deb"
apt_install "$debs"/idcctl_*.deb "$debs"/mockaws_*.deb
idcctl --version
mockaws --version

echo "==> the main job with the installed programs"
mockaws --port 0 --ready-file /tmp/ready 2>/tmp/mockaws.err </dev/null & # its default world
mock=$!
for _ in $(seq 200); do [ -s /tmp/ready ] && break; sleep 0.05; done
[ -s /tmp/ready ] || { cat /tmp/mockaws.err; fail "mockaws did not start"; }
endpoint=http://127.0.0.1:$(cat /tmp/ready)
echo 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' >/tmp/secret
idcctl integration add --label prod --region us-east-1 --identity-store-id d-1234567890 \
    --endpoint-url "$endpoint" --access-key-id AKIAIOSFODNN7EXAMPLE --secret-stdin </tmp/secret
idcctl sync --all
users=$(idcctl users --output csv --quiet)
total=$(tail -n +2 <<<"$users" | wc -l)
disabled=$(tail -n +2 <<<"$users" | cut -d, -f6 | grep -cx DISABLED || true)
echo "users: $total, of which DISABLED: $disabled"
[ "$total" -eq 30 ] || fail "30 users expected"
[ "$disabled" -gt 0 ] || fail "some DISABLED users expected"
victim=$(sed -n 2p <<<"$users" | cut -d, -f3)
idcctl users delete --label prod --user-name "$victim" --yes --quiet </dev/null
idcctl sync --all --quiet
users=$(idcctl users --output csv --quiet)
[ "$(tail -n +2 <<<"$users" | wc -l)" -eq 29 ] || fail "29 users expected after the delete"
if grep -qx "$victim" < <(cut -d, -f3 <<<"$users"); then
    fail "$victim is still listed after the delete"
fi
echo "deleted $victim; a sync lists the 29 others"
[ -d /root/.local/state/idcctl ] || fail "no state in /root/.local/state/idcctl"

echo "==> apt-get install ./libidc0_*.deb ./libidc-dev_*.deb, and programs built with them"
apt_install "$debs"/libidc0_*.deb "$debs"/libidc-dev_*.deb gcc libc6-dev cmake make
README=/usr/share/doc/libidc-dev/README.md "$consumer/check.sh" /usr gcc mockaws </dev/null

echo "==> apt-get purge"
kill "$mock"
wait "$mock" 2>/dev/null || true
mock=
packages=$(dpkg-query -W -f '${Package}\n' idcctl mockaws libidc0 libidc-dev)
files=$(dpkg -L $packages | sort -u)
apt-get purge -y -qq $packages >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; fail "apt-get purge"; }
left=$(for f in $files; do if [ -f "$f" ] || [ -L "$f" ]; then echo "$f"; fi; done)
[ -z "$left" ] || fail "left after purge: $left"
echo "purged $(wc -w <<<"$packages") packages: none of their files is left"
