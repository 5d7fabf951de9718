#!/usr/bin/env bash
# Fetches Valkey 8.0.1 (Debian bookworm-backports valkey-server + valkey-tools) with `apt-get download`
# through a private sources list and unpacks it with `dpkg -x`, so the system's apt configuration is
# untouched; the mirror is the one this machine's apt already uses (apt-mirror.sh). Prints the path
# of valkey-server. Idempotent: a present unpack is reused.
#   .ci/install-valkey.sh [DEST]     (default: ~/.cache/redspec/valkey-8.0.1)
set -euo pipefail
dest=${1:-${REDSPEC_CACHE:-$HOME/.cache/redspec}/valkey-8.0.1}
bin="$dest/usr/bin/valkey-server"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
# shellcheck source=apt-mirror.sh
. "$(dirname "$0")/apt-mirror.sh"
mirror=$(apt_mirror)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/apt/lists/partial" "$work/debs" "$dest"
echo "deb $mirror bookworm-backports main" > "$work/apt/sources.list"
o=(-o "Dir::Etc::SourceList=$work/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
   -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/cache" -o Debug::NoLocking=1)
apt-get "${o[@]}" -qq update >&2
ver=$(apt-cache "${o[@]}" madison valkey-server | awk -F'|' '$2 ~ /8\.0\.1/ {gsub(/ /,"",$2); print $2; exit}')
[ -n "$ver" ] || { echo "valkey-server 8.0.1 not found in bookworm-backports" >&2; exit 1; }
(cd "$work/debs" && apt-get "${o[@]}" -qq download "valkey-server=$ver" "valkey-tools=$ver" >&2)
for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$dest"; done
"$bin" --version >&2
echo "$bin"
