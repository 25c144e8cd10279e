#!/usr/bin/env bash
# One seeder whose upload is capped at 20 MB/s and N leechers, all on loopback, finding each other
# through a swarmshare tracker; for N = 1, 4 and 16 (or the counts given), ours and libtorrent in
# turn on the same file, RUNS times alternating. For each run and then as medians it prints the
# whole swarm's time as its users meet it, from starting the leechers' processes until the last has
# every piece verified; beside it the slowest leecher's own time (in-process: from its start of the
# torrent, ours, or its first connection attempt, libtorrent, to its last piece); and the
# CPU-seconds all the leechers together, and the seeder, used over that time. With the seeder
# alone serving, the time would grow with N; in a working swarm the leechers serve each other and
# it grows far slower.
#   bench/swarm.sh [--runs RUNS (default 3)] [SIZE_MIB (default 256)] [N ...]
#
# Leechers keep seeding until every one is done, as they would in a real swarm. Our leechers are
# separate JVMs, so their start-up (a few seconds when 16 start at once on a small machine) counts.
# Every swarm starts alike, outside the timing: a fresh tracker on the same port (so that no run is
# handed the peers of the one before), and the previous run's written copies flushed to disk.
set -euo pipefail

runs=3
if [ "${1:-}" = --runs ]; then runs="$2"; shift 2; fi
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
stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
tracker_pid=
stop_tracker() {
  [ -n "$tracker_pid" ] || return 0
  kill "$tracker_pid" 2>/dev/null || true
  wait "$tracker_pid" 2>/dev/null || true
  tracker_pid=
}
trap 'stop_tracker; stop_all; rm -rf "$work"' EXIT

"$root/swarmshare" --version >/dev/null   # builds the jar once, outside the timings


start_tracker() {   # start_tracker PORT: a tracker with an empty registry on PORT (0: any); sets port
  "$root/swarmshare" tracker --host 127.0.0.1 --port "$1" --data-dir "$work/tracker" >"$work/tracker.log" 2>&1 &
  tracker_pid=$!
  port=$(await_line "$work/tracker.log" 'tracker up: udp://127\.0\.0\.1:\K\d+')
}
start_tracker 0
announce="udp://127.0.0.1:$port/announce"

mkdir -p "$work/seed"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom >"$work/seed/swarm.bin"
"$root/swarmshare" create "$work/seed/swarm.bin" --tracker "$announce" -o "$work/swarm.torrent" >/dev/null
cat "$work/seed/swarm.bin" >/dev/null

# run_swarm ours|lt N: prints "SECONDS SLOWEST_OWN_SECONDS LEECHER_CPU_S SEEDER_CPU_S" for one
# swarm of N leechers; run in this shell (not a subshell), which owns the tracker
run_swarm() {
  local kind=$1 n=$2 i start end seeder own slowest=0 leechers=()
  stop_tracker
  start_tracker "$port"
  sync
  if [ "$kind" = ours ]; then
    "$root/swarmshare" share "$work/seed/swarm.bin" --torrent "$work/swarm.torrent" --port 0 --upload-limit "$cap" \
      >"$work/seed.log" 2>&1 &
    seeder=$!
    await_line "$work/seed.log" 'seeding .* on port \K\d+' >/dev/null
  else
    $python "$lt_peer" "$work/swarm.torrent" "$work/seed" --upload-limit "$cap" --timeout 3600 >"$work/seed.log" 2>&1 &
    seeder=$!
    await_line "$work/seed.log" '"listening": \K\d+' >/dev/null
  fi
  pids+=("$seeder")
  local seeder_before
  seeder_before=$(cpu_seconds "$seeder")
  start=$(date +%s.%N)
  for ((i = 1; i <= n; i++)); do
    rm -rf "$work/leech$i" && mkdir -p "$work/leech$i"
    if [ "$kind" = ours ]; then
      "$root/swarmshare" get "$work/swarm.torrent" -o "$work/leech$i" --port 0 >"$work/leech$i.log" 2>&1 &
    else
      $python "$lt_peer" "$work/swarm.torrent" "$work/leech$i" --timeout 3600 >"$work/leech$i.log" 2>&1 &
    fi
    pids+=($!)
    leechers+=($!)
  done
  for ((i = 1; i <= n; i++)); do
    if [ "$kind" = ours ]; then
      own=$(await_line "$work/leech$i.log" 'download complete, .* in \K[0-9.]+')
    else
      own=$(await_line "$work/leech$i.log" '"finished": true, "seconds": \K[0-9.]+')
    fi
    slowest=$(echo "if ($own > $slowest) $own else $slowest" | bc -l)
  done
  end=$(date +%s.%N)
  local leecher_cpu seeder_cpu
  leecher_cpu=$(cpu_seconds "${leechers[@]}")
  seeder_cpu=$(cpu_since "$seeder" "$seeder_before")
  for ((i = 1; i <= n; i++)); do
    cmp -s "$work/leech$i/swarm.bin" "$work/seed/swarm.bin" || { echo "bench: leecher $i has a bad copy" >&2; exit 1; }
  done
  stop_all
  echo "$(echo "$end - $start" | bc -l) $slowest $leecher_cpu $seeder_cpu"
}

declare -A figures   # "KIND N COLUMN" -> one value a run
report() {   # report KIND N COLUMN: the median of that column's runs
  printf '%s\n' ${figures["$1 $2 $3"]} | median
}
printf 'swarm: %d MiB, one seeder capped at %d MB/s, leechers on loopback, %d runs alternating\n' \
  "$size_mib" "$((cap / 1000000))" "$runs"
for n in "${counts[@]}"; do
  for ((r = 1; r <= runs; r++)); do
    for kind in ours lt; do
      run_swarm "$kind" "$n" >"$work/result"
      read -r whole own lcpu scpu <"$work/result"
      figures["$kind $n whole"]+="$whole "; figures["$kind $n own"]+="$own "
      figures["$kind $n lcpu"]+="$lcpu "; figures["$kind $n scpu"]+="$scpu "
      printf 'run %d  N=%-3d %-4s whole %6.1f s  slowest leecher %6.1f s  CPU-s: leechers %6.1f, seeder %5.1f\n' \
        "$r" "$n" "$kind" "$whole" "$own" "$lcpu" "$scpu"
    done
  done
done

printf '\nmedians of %d (whole: from starting the leechers until the last has every piece; own: the slowest\n' "$runs"
printf 'leecher in-process; ratio: libtorrent time / ours, above 1 when ours is faster)\n'
printf '  %3s  %24s  %24s  %14s  %26s  %22s\n' N "whole: ours / libtorrent" "own: ours / libtorrent" "ratio (whole)" \
  "leechers' CPU-s: ours / lt" "seeder's CPU-s: ours / lt"
for n in "${counts[@]}"; do
  ow=$(report ours "$n" whole); tw=$(report lt "$n" whole)
  printf '  %3d  %9.1f s / %9.1f s  %9.1f s / %9.1f s  %13.2fx  %11.1f / %11.1f  %9.1f / %9.1f\n' "$n" "$ow" "$tw" \
    "$(report ours "$n" own)" "$(report lt "$n" own)" "$(echo "$tw / $ow" | bc -l)" \
    "$(report ours "$n" lcpu)" "$(report lt "$n" lcpu)" "$(report ours "$n" scpu)" "$(report lt "$n" scpu)"
done
