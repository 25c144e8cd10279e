#!/usr/bin/env bash
# The leecher's peak resident size for a 1 GiB and a 4 GiB download (ours from ours, loopback):
# it must not grow with the file, since blocks go from the socket to the disk through bounded
# buffers. Prints both, the ratio, and libtorrent's figures for the same downloads beside them.
#   bench/memory.sh [SMALL_GIB (default 1)] [LARGE_GIB (default 4)]
set -euo pipefail

sizes=("${1:-1}" "${2:-4}")
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/common.sh"
python=/usr/bin/python3
lt_peer="$root/interop/libtorrent_peer.py"
work="$(mktemp -d "${TMPDIR:-/tmp}/swarmshare-memory.XXXXXX")"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

"$root/swarmshare" --version >/dev/null


declare -A ours theirs
for gib in "${sizes[@]}"; do
  mkdir -p "$work/seed$gib"
  head -c "$((gib * 1024 * 1024 * 1024))" /dev/urandom >"$work/seed$gib/data.bin"
  "$root/swarmshare" create "$work/seed$gib/data.bin" -o "$work/$gib.torrent" >/dev/null
  "$root/swarmshare" share "$work/seed$gib/data.bin" --torrent "$work/$gib.torrent" --port 0 >"$work/seed$gib.log" 2>&1 &
  pids+=($!)
  port=$(await_line "$work/seed$gib.log" 'on port \K\d+')
  rm -rf "$work/leech" && mkdir "$work/leech"
  /usr/bin/time -f '%M' -o "$work/rss" "$root/swarmshare" get "$work/$gib.torrent" --peer "127.0.0.1:$port" \
    -o "$work/leech" --port 0 --exit-when-done >"$work/leech.log" 2>&1
  ours[$gib]=$(cat "$work/rss")
  rm -rf "$work/leech" && mkdir "$work/leech"
  /usr/bin/time -f '%M' -o "$work/rss" $python "$lt_peer" "$work/$gib.torrent" "$work/leech" \
    --connect "127.0.0.1:$port" --exit-when-done --timeout 900 >"$work/lt.log" 2>&1
  theirs[$gib]=$(cat "$work/rss")
  kill "${pids[-1]}"
  rm -rf "$work/seed$gib" "$work/leech"
  printf '%d GiB: leecher peak RSS: swarmshare %d MiB, libtorrent %d MiB\n' "$gib" $((ours[$gib] / 1024)) $((theirs[$gib] / 1024))
done
small=${sizes[0]}; large=${sizes[1]}
printf '\nmemory: swarmshare leecher %d MiB at %d GiB, %d MiB at %d GiB: %.2fx (libtorrent %.2fx, mapping the file)\n' \
  $((ours[$small] / 1024)) "$small" $((ours[$large] / 1024)) "$large" \
  "$(echo "${ours[$large]} / ${ours[$small]}" | bc -l)" "$(echo "${theirs[$large]} / ${theirs[$small]}" | bc -l)"
