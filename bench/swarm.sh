#!/usr/bin/env bash
# One seeder whose upload is capped at 20 MB/s and N leechers, all on loopback, finding each other
# through a swarmshare tracker; for N = 1, 4 and 16 (or the counts given), ours and libtorrent in
# turn on the same file. Prints the time from starting the leechers until the last has every piece
# verified. With the seeder alone serving, that time would grow with N; in a working swarm the
# leechers serve each other and it grows far slower.
#   bench/swarm.sh [SIZE_MIB (default 256)] [N ...]
#
# Leechers keep seeding until every one is done, as they would in a real swarm. Our leechers are
# separate JVMs, so their start-up (a few seconds when 16 start at once on a small machine) counts.
set -euo pipefail

size_mib="${1:-256}"
shift || true
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1 4 16)
cap=20000000
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/common.sh"
python=/usr/bin/python3
lt_peer="$root/interop/libtorrent_peer.py"
$python -c 'import libtorrent' 2>/dev/null || { echo "bench: python3-libtorrent is not installed" >&2; exit 1; }
work="$(mktemp -d "${TMPDIR:-/tmp}/swarmshare-swarm.XXXXXX")"
pids=()
stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; pids=(); }
trap 'stop_all; rm -rf "$work"' EXIT

"$root/swarmshare" --version >/dev/null   # builds the jar once, outside the timings


"$root/swarmshare" tracker --host 127.0.0.1 --port 0 --data-dir "$work/tracker" >"$work/tracker.log" 2>&1 &
tracker_pid=$!
port=$(await_line "$work/tracker.log" 'tracker up: udp://127\.0\.0\.1:\K\d+')
announce="udp://127.0.0.1:$port/announce"

mkdir -p "$work/seed"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom >"$work/seed/swarm.bin"
"$root/swarmshare" create "$work/seed/swarm.bin" --tracker "$announce" -o "$work/swarm.torrent" >/dev/null
cat "$work/seed/swarm.bin" >/dev/null

# run_swarm ours|lt N: prints the seconds until all N leechers are done
run_swarm() {
  local kind=$1 n=$2 i start end
  if [ "$kind" = ours ]; then
    "$root/swarmshare" share "$work/seed/swarm.bin" --torrent "$work/swarm.torrent" --port 0 --upload-limit "$cap" \
      >"$work/seed.log" 2>&1 &
    pids+=($!)
    await_line "$work/seed.log" 'seeding .* on port \K\d+' >/dev/null
  else
    $python "$lt_peer" "$work/swarm.torrent" "$work/seed" --upload-limit "$cap" --timeout 3600 >"$work/seed.log" 2>&1 &
    pids+=($!)
    await_line "$work/seed.log" '"listening": \K\d+' >/dev/null
  fi
  start=$(date +%s.%N)
  for ((i = 1; i <= n; i++)); do
    rm -rf "$work/leech$i" && mkdir -p "$work/leech$i"
    if [ "$kind" = ours ]; then
      "$root/swarmshare" get "$work/swarm.torrent" -o "$work/leech$i" --port 0 >"$work/leech$i.log" 2>&1 &
    else
      $python "$lt_peer" "$work/swarm.torrent" "$work/leech$i" --timeout 3600 >"$work/leech$i.log" 2>&1 &
    fi
    pids+=($!)
  done
  for ((i = 1; i <= n; i++)); do
    if [ "$kind" = ours ]; then
      await_line "$work/leech$i.log" '()done: ' >/dev/null
    else
      await_line "$work/leech$i.log" '()"finished": true' >/dev/null
    fi
  done
  end=$(date +%s.%N)
  for ((i = 1; i <= n; i++)); do
    cmp -s "$work/leech$i/swarm.bin" "$work/seed/swarm.bin" || { echo "bench: leecher $i has a bad copy" >&2; exit 1; }
  done
  stop_all
  echo "$end - $start" | bc -l
}

printf 'swarm: %d MiB, one seeder capped at %d MB/s, leechers on loopback\n' "$size_mib" "$((cap / 1000000))"
printf '  %3s  %12s  %12s  %6s\n' N "swarmshare" "libtorrent" ratio
for n in "${counts[@]}"; do
  ours=$(run_swarm ours "$n")
  theirs=$(run_swarm lt "$n")
  printf '  %3d  %10.1f s  %10.1f s  %5.2fx\n' "$n" "$ours" "$theirs" "$(echo "$theirs / $ours" | bc -l)"
done
kill "$tracker_pid" 2>/dev/null || true
