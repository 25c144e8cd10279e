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
for tool in transmission-daemon java jcmd "$python"; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 1; }
done
largest=${counts[-1]}

work="$(mktemp -d "${TMPDIR:-/tmp}/swarmshare-bench-memory.XXXXXX")"
ours_pid=""
tr_pid=""
stop() {   # stop PID: SIGTERM, then SIGKILL after 30 s
  [ -n "$1" ] || return 0
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
stop_both() { stop "$ours_pid"; ours_pid=""; stop "$tr_pid"; tr_pid=""; }
cleanup() { stop_both; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

"$root/swarmshare" --version >/dev/null   # builds the jar once
free_port() { $python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
echo "writing $largest torrents of 4 KiB..."
$python "$helper" make "$work/set" "$largest" 4096 --piece 16384 >/dev/null

rss_bytes() { awk '/^VmRSS:/ {print $2 * 1024}' "/proc/$1/status"; }
heap_bytes() {   # the live heap after a full GC, in bytes
  jcmd "$1" GC.run >/dev/null
  jcmd "$1" GC.heap_info | grep -m1 -oP '\bheap\b.*\bused \K[0-9]+(?=K)' | awk '{print $1 * 1024}'
}

# one_run COUNT: sets h, o and t to our heap, our RSS and Transmission's RSS, in bytes (in this
# shell, so that the trap knows the daemons' ids)
one_run() {
  local n=$1 dir ours_port tr_port d
  dir="$work/run"
  rm -rf "$dir"; mkdir -p "$dir/tr"
  ours_port=$(free_port); tr_port=$(free_port)
  java -XX:MaxInlineLevel=9 -XX:InlineSmallCode=1000 -jar "$jar" daemon --data-dir "$dir/ours" \
    --download-dir "$work/set/data" --port 0 --rpc-host 127.0.0.1 --rpc-port "$ours_port" >"$dir/ours.log" 2>&1 &
  ours_pid=$!
  transmission-daemon -f -g "$dir/tr" -p "$tr_port" -P "$(free_port)" -w "$work/set/data" --no-auth \
    -r 127.0.0.1 -i 127.0.0.1 -O -Y -M --no-utp --log-error >"$dir/tr.log" 2>&1 &
  tr_pid=$!
  for d in "$ours_port" "$tr_port"; do
    local url="http://127.0.0.1:$d/transmission/rpc"
    $python "$helper" wait-seeding "$url" 0 --timeout 120 >/dev/null
    (( n == 0 )) || $python "$helper" add "$url" "$work/set/torrents" "$work/set/data" --count "$n" >/dev/null
  done
  for d in "$ours_port" "$tr_port"; do
    $python "$helper" wait-seeding "http://127.0.0.1:$d/transmission/rpc" "$n" --timeout 600 --interval 0.5 >/dev/null
  done
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
