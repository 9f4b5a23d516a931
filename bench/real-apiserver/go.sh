#!/usr/bin/env bash
# Go 1.26 for building the API server: Debian sid's golang-1.26 packages, downloaded and unpacked under
# $1 (default /opt/go126) without touching the system's apt sources or package state. Idempotent.
set -euo pipefail
dest=${1:-/opt/go126}
[ -x "$dest/usr/lib/go-1.26/bin/go" ] && { echo "$dest/usr/lib/go-1.26"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/lists/partial" "$tmp/archives/partial"
echo "deb http://deb.debian.org/debian sid main" > "$tmp/sid.list"
apt_opts=(-o "Dir::Etc::sourcelist=$tmp/sid.list" -o "Dir::Etc::sourceparts=-" -o "Dir::State::Lists=$tmp/lists" -o "Dir::Cache::archives=$tmp/archives")
apt-get "${apt_opts[@]}" update -qq
(cd "$tmp" && apt-get "${apt_opts[@]}" download golang-1.26-go golang-1.26-src)
mkdir -p "$dest"
for deb in "$tmp"/golang-1.26-*.deb; do dpkg -x "$deb" "$dest"; done
"$dest/usr/lib/go-1.26/bin/go" version >&2
echo "$dest/usr/lib/go-1.26"
