#!/usr/bin/env bash
# Fetches the upstream command files (src/commands/*.json and src/version.h) of the server releases
# Debian's stable suites carry, for the bump rehearsal test: Debian's source tarballs via
# `apt-get source --tar-only` through a private sources list (the system's apt configuration is
# untouched; apt checks the signed Release files). Only those files are kept, one directory per
# release under the cache; a present directory is reused. Prints the cache directory.
#   .ci/fetch-upstream.sh [DEST]     (default: ~/.cache/redspec/upstream)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dest=${1:-${REDSPEC_CACHE:-$HOME/.cache/redspec}/upstream}
# release directory, source package, suite, version as apt knows it
releases=(
  "redis-7.0.15 redis bookworm 5:7.0.15-*"
  "valkey-8.0.1 valkey bookworm-backports 8.0.1*"
  "redis-8.0.2 redis trixie 5:8.0.2-*"
  "valkey-8.1.1 valkey trixie 8.1.1*"
)
todo=()
for r in "${releases[@]}"; do
  set -- $r
  [ -f "$dest/$1/src/version.h" ] || todo+=("$r")
done
if [ ${#todo[@]} -eq 0 ]; then echo "$dest"; exit 0; fi
# shellcheck source=apt-mirror.sh
. "$here/apt-mirror.sh"
mirror=$(apt_mirror)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/apt/lists/partial" "$dest"
for suite in bookworm bookworm-backports trixie; do echo "deb-src $mirror $suite main"; done > "$work/apt/sources.list"
o=(-o "Dir::Etc::SourceList=$work/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
   -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/cache" -o Debug::NoLocking=1)
apt-get "${o[@]}" -qq update >&2
for r in "${todo[@]}"; do
  set -- $r
  dir=$1 pkg=$2 suite=$3 pattern=$4
  ver=$(apt-cache "${o[@]}" showsrc "$pkg" | awk -v p="$pattern" '
    /^Package:/ {pk = $2} /^Version:/ {v = $2} /^$/ {if (v != "") print v; v = ""} END {if (v != "") print v}' \
    | while read -r v; do case "$v" in $pattern) echo "$v";; esac; done | sort -V | tail -n1)
  [ -n "$ver" ] || { echo "$pkg $pattern not found in $suite" >&2; exit 1; }
  mkdir -p "$work/$dir"
  if ! (cd "$work/$dir" && apt-get "${o[@]}" -qq source --tar-only "$pkg=$ver" >&2); then
    # A mirror may lack a backports source tarball; the rehearsal then pulls from the binary instead.
    echo "$dir: source tarball of $pkg $ver not on $mirror; skipped" >&2
    continue
  fi
  tarball=$(ls "$work/$dir"/"${pkg}"_*.orig.tar.* | head -n1)
  mkdir -p "$work/$dir/x"
  tar -xf "$tarball" -C "$work/$dir/x" --strip-components=1 --wildcards '*/src/commands/*.json' '*/src/version.h'
  rm -rf "${dest:?}/$dir.tmp" && mkdir -p "$dest/$dir.tmp/src"
  cp -r "$work/$dir/x/src/commands" "$work/$dir/x/src/version.h" "$dest/$dir.tmp/src/"
  for lic in COPYING LICENSE.txt; do
    if tar -xf "$tarball" -C "$work/$dir/x" --strip-components=1 --wildcards --no-wildcards-match-slash "*/$lic" 2>/dev/null; then
      cp "$work/$dir/x/$lic" "$dest/$dir.tmp/"
    fi
  done
  echo "$pkg $ver ($suite)" > "$dest/$dir.tmp/DEBIAN-SOURCE"
  rm -rf "${dest:?}/$dir" && mv "$dest/$dir.tmp" "$dest/$dir"
  echo "$dir: $pkg $ver" >&2
done
echo "$dest"
