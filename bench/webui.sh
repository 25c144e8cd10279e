#!/usr/bin/env bash
# The daemon's web UI with many torrents: what a page costs the daemon, beside what polling the RPC
# costs it.
#   bench/webui.sh [TORRENTS (default 1000)] [SECONDS (default 30)] [RUNS (default 3)] [CHURN (default 0)]
#
# Our daemon (`swarmshare daemon`) holds TORRENTS single-file torrents of 4 KiB of random bytes
# each (one 16 KiB piece, no trackers), added beside their data, so that it checks them and seeds;
# nothing is measured before it lists all TORRENTS seeding. With nothing to download and no peers,
# the torrents change little: a quiet node. With CHURN > 0, a client stops CHURN torrents each
# second and starts the ones it stopped the second before (2 x CHURN changes a second, through the
# RPC) for the whole of the measurements, idle included, so that the page has changes to be told
# of. Each run, in an order that alternates between runs, measures for SECONDS each:
#   idle    the daemon's CPU (user + system from /proc/PID/stat, in CPU-seconds a second) with no client;
#   page    a fresh headless Chromium (Debian's, through chromedriver, a new profile) opens the page:
#           the time to first render, from the navigation's start until the list's first rows are
#           in the document (a MutationObserver's time; 100 rows a page), then the daemon's CPU
#           while that one page stays open and live;
#   stream  the bytes of the page's event stream (/web/events, read as a page reads it, without a
#           browser): the first message (the whole list) apart, then bytes a second;
#   rpc     the daemon's CPU while transmission-remote -l polls it once a second, as Transmission's
#           web client polls, and the bytes of one -l answer (times one a second).
# One unmeasured page opening warms the daemon first. Prints every run, then medians. Everything is
# on 127.0.0.1; the daemon and chromedriver are stopped on exit. The browser runs on the same
# cores as the daemon.
set -euo pipefail

torrents="${1:-1000}"
seconds="${2:-30}"
runs="${3:-3}"
churn="${4:-0}"
[[ "$torrents" =~ ^[1-9][0-9]*$ && "$seconds" =~ ^[1-9][0-9]*$ && "$runs" =~ ^[1-9][0-9]*$ \
   && "$churn" =~ ^[0-9]+$ ]] && (( churn <= torrents )) \
  || { echo "usage: bench/webui.sh [TORRENTS] [SECONDS] [RUNS] [CHURN] (whole numbers, CHURN <= TORRENTS)" >&2; exit 2; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/common.sh"
python=/usr/bin/python3
helper="$root/bench/daemon_bench.py"
jar="$root/launcher/target/swarmshare.jar"
require_tools java chromium chromedriver transmission-remote "$python"

work="$(mktemp -d "${TMPDIR:-/tmp}/swarmshare-bench-webui.XXXXXX")"
ours_pid=""
driver_pid=""
churn_pid=""
cleanup() { stop_process "$churn_pid" 5; stop_process "$ours_pid"; stop_process "$driver_pid" 5; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

"$root/swarmshare" --version >/dev/null   # builds the jar once, outside the timings
port=$(free_port); driver_port=$(free_port)
rpc="http://127.0.0.1:$port/transmission/rpc"
page="http://127.0.0.1:$port/"

make_small_torrents "$work/set" "$torrents"
start_swarmshare_daemon "$work/ours" "$work/set/data" "$port" "$work/ours.log"
ours_pid=$!
echo "adding them to the daemon..."
hold_torrents "$work/set" "$torrents" "$rpc"
echo "the daemon holds $torrents torrents, all seeding"
chromedriver --port="$driver_port" >"$work/chromedriver.log" 2>&1 &
driver_pid=$!
await_line "$work/chromedriver.log" 'started successfully' >/dev/null

hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$ours_pid/stat"; }
now() { date +%s.%N; }
json() { $python -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
per_second() { awk -v t="$1" -v hz="$hz" -v s="$2" 'BEGIN { printf "%.4f", t / hz / s }'; }

watch_page() {   # watch_page SECONDS NAME: page-watch's JSON line
  $python "$helper" page-watch "http://127.0.0.1:$driver_port" "$page" "$1" --pid "$ours_pid" \
    --profile "$work/profile-$2"
}

idle_cpu() {
  local c0 c1
  c0=$(cpu_ticks); sleep "$seconds"; c1=$(cpu_ticks)
  per_second $((c1 - c0)) "$seconds"
}

rpc_cpu() {   # transmission-remote -l at each whole second from the start, SECONDS times
  local c0 c1 t0 t1 i wait
  c0=$(cpu_ticks); t0=$(now)
  for ((i = 0; i < seconds; i++)); do
    transmission-remote "127.0.0.1:$port" -l >/dev/null
    wait=$(awk -v t0="$t0" -v i="$i" -v t="$(now)" 'BEGIN { w = t0 + i + 1 - t; printf "%.3f", (w > 0 ? w : 0) }')
    sleep "$wait"
  done
  c1=$(cpu_ticks); t1=$(now)
  per_second $((c1 - c0)) "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
}

echo "warming up (one unmeasured page)..."
watch_page 2 warm-up >/dev/null
list_bytes=$(json "$($python "$helper" list-bytes "$rpc")" bytes)

if (( churn > 0 )); then
  # Longer than every measurement together; stopped once they are done.
  $python "$helper" churn "$rpc" "$churn" $((runs * (4 * seconds + 60) + 60)) >"$work/churn.log" 2>&1 &
  churn_pid=$!
  sleep 3
fi

declare -A got
record() { got[$1]+="$2 "; }
measure() {   # measure CASE RUN
  local line
  case "$1" in
    idle) record idle "$(idle_cpu)" ;;
    page)
      line=$(watch_page "$seconds" "run-$2")
      record render "$(json "$line" first_render_ms)"
      record page "$(json "$line" cpu_per_s)"
      [ "$(json "$line" upper_bound)" = False ] || echo "  (run $2: the rows were there at load; its time is an upper bound)"
      ;;
    stream)
      line=$($python "$helper" stream-bytes "${page}web/events" "$seconds")
      record first "$(json "$line" first_event_bytes)"
      record steady "$(json "$line" steady_bytes_per_s)"
      ;;
    rpc) record rpc "$(rpc_cpu)" ;;
  esac
}

last() { local -a a=(${got[$1]}); echo "${a[-1]}"; }
for ((r = 1; r <= runs; r++)); do
  order="idle page stream rpc"
  (( r % 2 == 0 )) && order="rpc stream page idle"
  for c in $order; do measure "$c" "$r"; done
  printf 'run %d  first render %7.1f ms  daemon CPU/s: idle %.4f, one page %.4f, -l each second %.4f  ' \
    "$r" "$(last render)" "$(last idle)" "$(last page)" "$(last rpc)"
  printf 'push: first message %d bytes, then %.1f B/s\n' "$(last first)" "$(last steady)"
done

if [ -n "$churn_pid" ] && ! kill -0 "$churn_pid" 2>/dev/null; then
  echo "bench: the churn client stopped before the measurements did:" >&2
  cat "$work/churn.log" >&2
  exit 1
fi
med() { printf '%s\n' ${got[$1]} | median; }
quiet="all seeding, quiet"
(( churn == 0 )) || quiet="seeding, $((2 * churn)) state changes a second"
printf '\nthe web UI with %d torrents held (%s), %d s per measurement, median of %d\n' \
  "$torrents" "$quiet" "$seconds" "$runs"
printf '  time to first render (navigation start to the first rows, fresh browser)  %10.1f ms\n' "$(med render)"
printf '  daemon CPU, CPU-seconds a second:   idle %.4f   one page open %.4f (%+.4f)   transmission-remote -l each second %.4f (%+.4f)\n' \
  "$(med idle)" "$(med page)" "$(awk -v a="$(med page)" -v b="$(med idle)" 'BEGIN { print a - b }')" \
  "$(med rpc)" "$(awk -v a="$(med rpc)" -v b="$(med idle)" 'BEGIN { print a - b }')"
printf '  bytes to the client:   push: the whole list once %d, then %.1f B/s   -l polling: %d B/s (one answer each second)\n' \
  "$(med first)" "$(med steady)" "$list_bytes"
