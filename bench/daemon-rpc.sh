#!/usr/bin/env bash
# Transmission's RPC under load: torrent-get against our daemon (`swarmshare daemon`) and Debian's
# transmission-daemon holding the same torrents, side by side in one run, driven by one client.
#   bench/daemon-rpc.sh [TORRENTS (default 1000)] [SECONDS (default 5)] [RUNS (default 3)] [CLIENTS (default "1 8")]
#
# Both daemons hold the same TORRENTS single-file torrents of 4 KiB of random bytes each (one
# 16 KiB piece, no trackers), added with torrent-add {filename, download-dir} beside their data,
# so that both check them and seed; nothing is measured before both list all TORRENTS seeding.
# The client, bench/RpcLoad.java (compiled here with javac), sends transmission-remote -l's own
# request (its fourteen fields, to /transmission/rpc/) from C connections at once, each keep-alive,
# one request after another: "all" asks for every torrent, as -l does; "one" for one torrent by id
# (ids [ID]), as a client polling one torrent does. Each measurement is 1 s of warm-up and then
# SECONDS timed (from the request's first byte to the answer's last); every answer is checked.
# First one unmeasured pass of every case warms both daemons; then RUNS rounds of every case for
# C in CLIENTS, the two daemons in turn (which goes first alternates). The daemons' CPU time is read
# from /proc around each measurement (CPU per request includes what they do besides answering).
# The client runs on the same cores as the daemons. Prints every measurement, then medians and
# ratios ours / Transmission. Everything is on 127.0.0.1; both daemons are stopped on exit.
set -euo pipefail

torrents="${1:-1000}"
seconds="${2:-5}"
runs="${3:-3}"
clients="${4:-1 8}"
[[ "$torrents" =~ ^[1-9][0-9]*$ && "$seconds" =~ ^[1-9][0-9]*$ && "$runs" =~ ^[1-9][0-9]*$ \
   && "$clients" =~ ^[1-9][0-9]*( [1-9][0-9]*)*$ ]] \
  || { echo "usage: bench/daemon-rpc.sh [TORRENTS] [SECONDS] [RUNS] [\"CLIENTS ...\"] (positive integers)" >&2; exit 2; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/common.sh"
python=/usr/bin/python3
helper="$root/bench/daemon_bench.py"
jar="$root/launcher/target/swarmshare.jar"
require_tools transmission-daemon java javac "$python"

work="$(mktemp -d "${TMPDIR:-/tmp}/swarmshare-bench-rpc.XXXXXX")"
ours_pid=""
tr_pid=""
cleanup() { stop_process "$ours_pid"; stop_process "$tr_pid"; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

"$root/swarmshare" --version >/dev/null   # builds the jar once, outside the timings
mkdir -p "$work/classes"
javac -d "$work/classes" "$root/bench/RpcLoad.java"
ours_port=$(free_port); tr_port=$(free_port); tr_peer_port=$(free_port)
declare -A url=([ours]="http://127.0.0.1:$ours_port/transmission/rpc" [tr]="http://127.0.0.1:$tr_port/transmission/rpc")

make_small_torrents "$work/set" "$torrents"

start_swarmshare_daemon "$work/ours" "$work/set/data" "$ours_port" "$work/ours.log"
ours_pid=$!
mkdir -p "$work/tr"
start_transmission_daemon "$work/tr" "$work/set/data" "$tr_port" "$tr_peer_port" "$work/tr.log"
tr_pid=$!
echo "adding them to both daemons..."
hold_torrents "$work/set" "$torrents" "${url[ours]}" "${url[tr]}"
echo "both daemons hold $torrents torrents, all seeding"

declare -A pid=([ours]="$ours_pid" [tr]="$tr_pid") name=([ours]=swarmshare [tr]=transmission)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
field() { sed -n "s/.*\b$2=\([^ ]*\).*/\1/p" <<<"$1"; }
# measure DAEMON MODE C SECONDS: RpcLoad's line plus " cpu_us=CPU_MICROSECONDS_PER_REQUEST"
measure() {
  local c0 c1 line
  c0=$(cpu_ticks "${pid[$1]}")
  line=$(timeout $(($4 + 120)) java -XX:+UseSerialGC -cp "$work/classes" RpcLoad "${url[$1]}" "$2" "$3" "$4" 1 "$torrents")
  c1=$(cpu_ticks "${pid[$1]}")
  [ "$(field "$line" errors)" = 0 ] || { echo "bench: ${name[$1]} gave bad answers: $line" >&2; exit 1; }
  echo "$line cpu_us=$(awk -v t=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v n="$(field "$line" requests)" \
    'BEGIN { printf "%.0f", n ? t / hz * 1e6 / n : 0 }')"
}

idle_cpu() {   # idle_cpu DAEMON: its CPU use in % of one core over 5 s without requests
  local c0 c1
  c0=$(cpu_ticks "${pid[$1]}"); sleep 5; c1=$(cpu_ticks "${pid[$1]}")
  awk -v t=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz / 5 * 100 }'
}
cases=()
for mode in all one; do for c in $clients; do cases+=("$mode $c"); done; done
echo "warming up (one unmeasured pass of each case)..."
for k in "${cases[@]}"; do
  for d in ours tr; do read -r mode c <<<"$k"; measure "$d" "$mode" "$c" 2 >/dev/null; done
done
declare -A idle
for d in ours tr; do idle[$d]=$(idle_cpu "$d"); done

declare -A rate p50 p99 cpu bytes
for ((r = 1; r <= runs; r++)); do
  for ((i = 0; i < ${#cases[@]}; i++)); do
    read -r mode c <<<"${cases[$i]}"
    order="ours tr"
    (( (r + i) % 2 == 0 )) && order="tr ours"
    for d in $order; do
      line=$(measure "$d" "$mode" "$c" "$seconds")
      key="$d $mode $c"
      rate[$key]+="$(field "$line" rate) "; p50[$key]+="$(field "$line" p50_us) "
      p99[$key]+="$(field "$line" p99_us) "; cpu[$key]+="$(field "$line" cpu_us) "
      bytes[$key]=$(field "$line" bytes)
      printf 'run %d  %-12s %-3s C=%-3d %9.1f req/s  p50 %7d us  p99 %7d us  max %7d us  %6d us CPU/req  %d bytes\n' \
        "$r" "${name[$d]}" "$mode" "$c" "$(field "$line" rate)" "$(field "$line" p50_us)" "$(field "$line" p99_us)" \
        "$(field "$line" max_us)" "$(field "$line" cpu_us)" "$(field "$line" bytes)"
    done
  done
done

med() { local -n m="$1"; printf '%s\n' ${m[$2]} | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
printf '\ntorrent-get with transmission-remote -l'"'"'s fields, %d torrents held, %d s per measurement, median of %d (%s)\n' \
  "$torrents" "$seconds" "$runs" "$(transmission-daemon -V 2>&1 | head -n1 | awk '{print $1, $2}')"
printf '  %-9s %-16s %12s %12s %8s\n' case "" swarmshare transmission ratio
for k in "${cases[@]}"; do
  read -r mode c <<<"$k"
  o="ours $mode $c"; t="tr $mode $c"
  label="$mode C=$c"
  printf '  %-9s %-16s %12.1f %12.1f %8s\n' "$label" "requests/s" "$(med rate "$o")" "$(med rate "$t")" \
    "$(ratio "$(med rate "$o")" "$(med rate "$t")")"
  for what in p50 p99 cpu; do
    title="$what latency"; [ "$what" = cpu ] && title="CPU per request"
    printf '  %-9s %-16s %9.0f us %9.0f us %8s\n' "" "$title" "$(med "$what" "$o")" "$(med "$what" "$t")" \
      "$(ratio "$(med "$what" "$o")" "$(med "$what" "$t")")"
  done
  printf '  %-9s %-16s %12s %12s\n' "" "answer bytes" "${bytes[$o]}" "${bytes[$t]}"
done
printf '  idle CPU with %d torrents (5 s, %% of one core): swarmshare %s%%, transmission %s%%\n' \
  "$torrents" "${idle[ours]}" "${idle[tr]}"
