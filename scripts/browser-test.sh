#!/usr/bin/env bash
# Browser test of the status page: fills a database from the fixture feeds
# with one `itsecbot once`, serves it with `itsecbot serve`, loads the page
# in headless Chromium, checks that feeds, queued posts and recent posts are
# shown, and keeps screenshots at a phone's and a desktop's width.
#
# Installs Debian's chromium and a Japanese font when missing (apt-get, as
# root or through sudo; the .debs are cached in $ITSECBOT_APT_CACHE, by
# default ~/.cache/itsecbot-ci/apt). Screenshots go to $ARTIFACTS_DIR (by
# default a temporary folder); their paths are printed.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
artifacts=${ARTIFACTS_DIR:-$work/artifacts}
mkdir -p "$artifacts"
server_pid=
passed=

# cleanup stops the server; after a pass it removes everything but the
# screenshots, after a failure it keeps the logs and the database.
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work/profile" "$work/itsecbot"
  if [ -n "$passed" ]; then
    find "$work" -mindepth 1 -maxdepth 1 ! -path "$artifacts" -exec rm -rf {} +
    rmdir "$work" 2>/dev/null || true
  else
    echo "browser-test: logs and database kept in $work" >&2
  fi
}
trap cleanup EXIT

fail() {
  echo "browser-test: $*" >&2
  for f in "$work"/once.err "$work"/serve.log; do
    [ -s "$f" ] && { echo "--- $f" >&2; tail -20 "$f" >&2; }
  done
  exit 1
}

has_japanese_font() { command -v fc-list >/dev/null && [ -n "$(fc-list :lang=ja family 2>/dev/null)" ]; }

ensure_chromium() {
  local pkgs=()
  command -v chromium >/dev/null || pkgs+=(chromium)
  has_japanese_font || pkgs+=(fonts-ipafont-gothic)
  [ ${#pkgs[@]} -eq 0 ] && return
  local sudo=
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || fail "needs ${pkgs[*]}: run 'apt-get install ${pkgs[*]}' as root"
    sudo=sudo
  fi
  local cache=${ITSECBOT_APT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/itsecbot-ci/apt}
  mkdir -p "$cache/partial"
  echo "browser-test: installing ${pkgs[*]} (packages cached in $cache)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    -o Dir::Cache::archives="$cache" -o APT::Sandbox::User=root "${pkgs[@]}" >/dev/null
}

chrome() {
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$work/profile" "$@" 2>>"$work/chromium.log"
}

ensure_chromium
go build -o "$work/itsecbot" ./cmd/itsecbot

export ITSECBOT_TEST_DB="$work/status.db"
export ITSECBOT_TEST_X_API=http://127.0.0.1:9   # nothing answers: the x poster's posts stay queued
export ITSECBOT_TEST_X_KEY=test
config=testdata/web/status.yaml

"$work/itsecbot" once -config "$config" >"$work/once.out" 2>"$work/once.err" || fail "itsecbot once failed"

"$work/itsecbot" serve -config "$config" -listen 127.0.0.1:0 2>"$work/serve.log" &
server_pid=$!
addr=
for _ in $(seq 50); do
  addr=$(sed -n 's/.*msg="status server listening" address=\([0-9.:]*\).*/\1/p' "$work/serve.log")
  [ -n "$addr" ] && break
  kill -0 "$server_pid" 2>/dev/null || fail "the server stopped"
  sleep 0.1
done
[ -n "$addr" ] || fail "the server did not start"
url="http://$addr/"

chrome --dump-dom "${url}healthz" | grep -q 'ok: last successful cycle' || fail "healthz does not say ok"

chrome --dump-dom "$url" >"$work/dom.html" || fail "chromium could not load $url"
for want in '<h2>フィード' 'JPCERT/CC' 'Vendor (moved)' '失敗中' \
  '<h2>送信キュー' '送信待ち' 'connection refused' \
  '<h2>最近の投稿' '【セキュリティ情報まとめ】' '<svg'; do
  grep -qF "$want" "$work/dom.html" || fail "the page does not show '$want' (DOM in $work/dom.html)"
done
if grep -q '<script' "$work/dom.html"; then
  fail "the page has a script; it must work without"
fi

for shot in phone:390,3400 desktop:1280,2200; do
  name=${shot%%:*}
  png="$artifacts/status-$name.png"
  chrome --screenshot="$png" --window-size="${shot#*:}" "$url" >/dev/null || fail "no $name screenshot"
  [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] || fail "$png is not a PNG"
  [ "$(wc -c <"$png")" -gt 20000 ] || fail "$png is nearly empty"
  echo "browser-test: screenshot $png"
done

kill "$server_pid"
wait "$server_pid" || fail "the server did not stop cleanly on SIGTERM"
server_pid=
passed=1
echo "browser-test: ok"
