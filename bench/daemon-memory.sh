#!/usr/bin/env bash
# Memory per torrent held: our daemon (`swarmshare daemon`) beside Debian's transmission-daemon,
# each holding the same torrents, in the same run.
#   bench/daemon-memory.sh [COUNTS (default "0 100 1000")] [RUNS (default 3)]
#
# The torrents are single-file torrents of 4 KiB of random bytes each (one 16 KiB piece, no
# trackers), added with torrent-add {filename, download-dir} beside their data, so that both
# daemons check them and seed. For each count, RUNS times (the counts in turn), a fresh process of
# each daemon on a fresh directory is given that many torrents; once all are seeding and 5 s have
# passed, ours gets a full GC (jcmd PID GC.run) and its live heap is read (jcmd PID GC.heap_info,
# "used"); the resident size of both (VmRSS) is read after that. Our JVM runs with the flags
# ./swarmshare gives it and the JVM's default heap sizing. Prints every run, then medians and
# bytes per torrent: (figure at COUNT - figure at the smallest count) / (COUNT - smallest count).
# Everything listens on 127.0.0.1; the daemons are stopped after each run and on exit.
set -euo pipefail

counts="${1:-0 100 1000}"
runs="${2:-3}"
[[ "$counts" =~ ^[0-9]+( [0-9]+)*$ && "$runs" =~ ^[1-9][0-9]*$ ]] \
  || { echo "usage: bench/daemon-memory.sh [\"COUNTS ...\"] [RUNS] (integers, RUNS positive)" >&2; exit 2; }
read -r -a counts <<<"$(tr ' ' '\n' <<<"$counts" | sort -n | uniq | tr '\n' ' ')"
(( ${#counts[@]} >= 2 )) || { echo "bench: give at least two different counts" >&2; exit 2; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/common.sh"
python=/usr/bin/python3
helper="$root/bench/daemon_bench.py"
jar="$root/launcher/target/swarmshare.jar"
require_tools transmission-daemon java jcmd "$python"
largest=${counts[-1]}

work="$(mktemp -d "${TMPDIR:-/tmp}/swarmshare-bench-memory.XXXXXX")"
ours_pid=""
tr_pid=""
stop_both() { stop_process "$ours_pid"; ours_pid=""; stop_process "$tr_pid"; tr_pid=""; }
cleanup() { stop_both; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

"$root/swarmshare" --version >/dev/null   # builds the jar once
make_small_torrents "$work/set" "$largest"

rss_bytes() { awk '/^VmRSS:/ {print $2 * 1024}' "/proc/$1/status"; }
heap_bytes() {   # the live heap after a full GC, in bytes
  jcmd "$1" GC.run >/dev/null
  # G1 prints one "garbage-first heap ... used NK" line, the serial collector one per generation.
  jcmd "$1" GC.heap_info | grep -oP '\b(heap|generation)\s+total [0-9]+K, used \K[0-9]+(?=K)' \
    | awk '{sum += $1} END {print sum * 1024}'
}

# one_run COUNT: sets h, o and t to our heap, our RSS and Transmission's RSS, in bytes (in this
# shell, so that the trap knows the daemons' ids)
one_run() {
  local n=$1 dir ours_port tr_port
  dir="$work/run"
  rm -rf "$dir"; mkdir -p "$dir/tr"
  ours_port=$(free_port); tr_port=$(free_port)
  start_swarmshare_daemon "$dir/ours" "$work/set/data" "$ours_port" "$dir/ours.log"
  ours_pid=$!
  start_transmission_daemon "$dir/tr" "$work/set/data" "$tr_port" "$(free_port)" "$dir/tr.log"
  tr_pid=$!
  hold_torrents "$work/set" "$n" "http://127.0.0.1:$ours_port/transmission/rpc" \
    "http://127.0.0.1:$tr_port/transmission/rpc"
  sleep 5   # past the burst of adding and checking
  h=$(heap_bytes "$ours_pid")
  [ -n "$h" ] || { echo "bench: no heap figure from jcmd $ours_pid GC.heap_info" >&2; exit 1; }
  o=$(rss_bytes "$ours_pid"); t=$(rss_bytes "$tr_pid")
  stop_both
}

mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
declare -A heap rss_ours rss_tr
for ((r = 1; r <= runs; r++)); do
  for n in "${counts[@]}"; do
    one_run "$n"
    heap[$n]+="$h "; rss_ours[$n]+="$o "; rss_tr[$n]+="$t "
    printf 'run %d  %5d torrents  swarmshare heap %7s MiB  RSS %7s MiB   transmission RSS %6s MiB\n' \
      "$r" "$n" "$(mib "$h")" "$(mib "$o")" "$(mib "$t")"
  done
done

med() { local -n m="$1"; printf '%s\n' ${m[$2]} | median; }
printf '\nmemory of a daemon holding N torrents (4 KiB each, seeding), median of %d (%s)\n' "$runs" \
  "$(transmission-daemon -V 2>&1 | head -n1 | awk '{print $1, $2}')"
printf '  %8s %22s %20s %22s\n' N "swarmshare heap (GC'd)" "swarmshare RSS" "transmission RSS"
for n in "${counts[@]}"; do
  printf '  %8d %18s MiB %16s MiB %18s MiB\n' "$n" "$(mib "$(med heap "$n")")" "$(mib "$(med rss_ours "$n")")" \
    "$(mib "$(med rss_tr "$n")")"
done
base=${counts[0]}
printf '\nbytes per torrent, from %d torrents to N\n' "$base"
printf '  %8s %16s %16s %18s %26s\n' N "swarmshare heap" "swarmshare RSS" "transmission RSS" "heap / transmission RSS"
for n in "${counts[@]:1}"; do
  per() { awk -v a="$(med "$1" "$n")" -v b="$(med "$1" "$base")" -v k=$((n - base)) 'BEGIN { printf "%.0f", (a - b) / k }'; }
  h=$(per heap); o=$(per rss_ours); t=$(per rss_tr)
  printf '  %8d %16s %16s %18s %26s\n' "$n" "$h" "$o" "$t" "$(awk -v a="$h" -v b="$t" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }')"
done
