#!/usr/bin/env bash
# Builds the Debian package with cargo-deb, installs it with `dpkg -i`, checks what it
# installed (the binary runs `obole --version`, the unit passes `systemd-analyze verify`, the
# obole user, its data folder and the private configuration file exist), then removes it.
# Idempotent: a package, user or folder left by an interrupted run is cleaned up first, and
# only what this script created is removed at the end. Needs dpkg and root (or sudo).
#
# By default it packages the debug binary the test suite has just built (cargo-deb's
# `--profile dev --no-build`): the packaging is what is checked here, and a release build
# would add minutes to every CI run. OBOLE_PACKAGE_PROFILE=release checks the package as it
# is shipped, built by `cargo deb` (a full release build).
#
# Usage: tests/package.sh        (tests/run.sh calls it when CI or OBOLE_TEST_PACKAGE is set)
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_DEB_VERSION=3.6.2
started=$(date +%s)
log() { printf '\n==> %s\n' "$*"; }
fail() { printf 'tests/package.sh: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

command -v dpkg >/dev/null || fail "dpkg is needed (a Debian or Ubuntu machine)"
if ! cargo deb --version 2>/dev/null | grep -qF "$CARGO_DEB_VERSION"; then
  log "Installing cargo-deb $CARGO_DEB_VERSION (compiled once, about 5 minutes on 2 cores)"
  cargo install cargo-deb --version "$CARGO_DEB_VERSION" --locked
fi

out=target/package-test
rm -rf "$out"
mkdir -p "$out"
if [ "${OBOLE_PACKAGE_PROFILE:-dev}" = release ]; then
  log "Building the release package"
  cargo deb --output "$out/" -- --locked
else
  log "Packaging the suite's debug binary"
  [ -x target/debug/obole ] || cargo build --locked --bin obole
  cargo deb --quiet --no-build --profile dev --fast --output "$out/"
fi
deb=$(ls "$out"/obole_*.deb)

# What existed before this run stays; what the package creates goes at the end. An obole
# package this script did not install is a real installation: refuse rather than purge it.
# The marker says an earlier run of this script installed the one present (and was killed
# before its cleanup).
marker=target/.package-test-installed
if dpkg-query -W -f='${Status}' obole 2>/dev/null | grep -q installed; then
  if [ -f "$marker" ]; then
    log "Removing the obole package an earlier run of this script left"
    as_root dpkg --purge obole >/dev/null
    [ -s "$marker" ] && as_root rm -rf /etc/obole
    rm -f "$marker"
  else
    fail "an obole package is installed that this script did not install; it would be purged. Remove it yourself (dpkg --purge obole) or run this script on another machine"
  fi
fi
had_user=""; getent passwd obole >/dev/null && had_user=1
had_data=""; [ -e /var/lib/obole ] && had_data=1
had_etc=""; [ -e /etc/obole ] && had_etc=1
installed=""
cleanup() {
  if [ -n "$installed" ]; then
    as_root dpkg --purge obole >/dev/null 2>&1 || true
    if [ -z "$had_user" ] && getent passwd obole >/dev/null; then as_root userdel obole || true; fi
    if [ -z "$had_data" ]; then as_root rm -rf /var/lib/obole; fi
    if [ -z "$had_etc" ]; then as_root rm -rf /etc/obole; fi
    rm -f "$marker"
  fi
}
trap cleanup EXIT

log "Installing $deb"
# Written first: a run killed during the install must still be recognised as this script's.
# Its content says whether /etc/obole was created by the package (then it may go too).
if [ -z "$had_etc" ]; then echo etc >"$marker"; else : >"$marker"; fi
installed=1
as_root dpkg -i "$deb" >/dev/null

version=$(/usr/bin/obole --version)
expected="obole $(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
[ "$version" = "$expected" ] || fail "obole --version said '$version', not '$expected'"
echo "obole --version: $version"

unit=/usr/lib/systemd/system/obole.service
[ -f "$unit" ] || fail "the unit is not installed at $unit"
if command -v systemd-analyze >/dev/null; then
  # The unit as installed, with its binary and user in place.
  as_root systemd-analyze verify "$unit" || fail "systemd-analyze verify $unit"
  echo "systemd-analyze verify: clean"
fi
getent passwd obole >/dev/null || fail "the obole user was not created"
[ "$(stat -c '%U:%G %a' /var/lib/obole)" = "obole:obole 750" ] || fail "/var/lib/obole: $(stat -c '%U:%G %a' /var/lib/obole)"
[ "$(stat -c '%U:%G %a' /etc/obole/obole.env)" = "root:obole 640" ] || fail "/etc/obole/obole.env: $(stat -c '%U:%G %a' /etc/obole/obole.env)"
dpkg-query -W -f='${Conffiles}' obole | grep -q /etc/obole/obole.env || fail "obole.env is not a conffile"

# The default configuration, as the service reads it, as the obole user: a database made in
# the data folder and a sound (empty) ledger.
as_root runuser -u obole -- sh -c 'set -a; . /etc/obole/obole.env; OBOLE_LOG=warn; cd /var/lib/obole; exec /usr/bin/obole migrate' >/dev/null \
  || fail "obole migrate with the default configuration, as obole"
[ -f /var/lib/obole/obole.sqlite3 ] || fail "no database in /var/lib/obole"
echo "obole migrate as the obole user with /etc/obole/obole.env: ok"

log "The package installs and runs ($(($(date +%s) - started)) s)"
