#!/usr/bin/env bash
# torrent-get over Transmission's RPC against our daemon and Debian's transmission-daemon, side by
# side in one run: the latency of `transmission-remote -l`'s request and requests per second.
#   bench/daemon-rpc.sh [TORRENTS (default 1000)] [SECONDS (default 10)] [RUNS (default 3)]
#
# Both daemons hold the same TORRENTS torrents of one 16 KiB file each (added with torrent-add
# {filename, download-dir} beside their data, so both seed them). One client, bench/RpcLoad.java
# (run as a source file), POSTs torrent-get with -l's fourteen fields over one keep-alive
# connection, one request after another, 2 s of warm-up and then SECONDS measured; runs alternate
# between the daemons, RUNS each. Prints every run, then medians and ratios ours / Transmission.
# Everything listens on 127.0.0.1; both daemons are stopped on exit.
set -euo pipefail

torrents="${1:-1000}"
seconds="${2:-10}"
runs="${3:-3}"
[[ "$torrents" =~ ^[1-9][0-9]*$ && "$seconds" =~ ^[1-9][0-9]*$ && "$runs" =~ ^[1-9][0-9]*$ ]] \
  || { echo "usage: bench/daemon-rpc.sh [TORRENTS] [SECONDS] [RUNS] (positive integers)" >&2; exit 2; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/common.sh"
python=/usr/bin/python3
helper="$root/bench/daemon_bench.py"
jar="$root/launcher/target/swarmshare.jar"
command -v transmission-daemon >/dev/null || { echo "bench: transmission-daemon is not installed" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/swarmshare-bench-rpc.XXXXXX")"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$root/swarmshare" --version >/dev/null   # builds the jar once
free_port() { $python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ours_port=$(free_port); tr_port=$(free_port); tr_peer_port=$(free_port)
ours_url="http://127.0.0.1:$ours_port/transmission/rpc"
tr_url="http://127.0.0.1:$tr_port/transmission/rpc"

echo "writing $torrents torrents of 16 KiB..."
$python "$helper" make "$work/set" "$torrents" 16384 --piece 16384 >/dev/null

java -XX:MaxInlineLevel=9 -XX:InlineSmallCode=1000 -jar "$jar" daemon --data-dir "$work/ours" \
  --download-dir "$work/set/data" --port 0 --rpc-host 127.0.0.1 --rpc-port "$ours_port" >"$work/ours.log" 2>&1 &
pids+=($!)
mkdir -p "$work/tr"
transmission-daemon -f -g "$work/tr" -p "$tr_port" -P "$tr_peer_port" -w "$work/set/data" --no-auth \
  -r 127.0.0.1 -i 127.0.0.1 -O -Y -M --no-utp >"$work/tr.log" 2>&1 &
pids+=($!)
for url in "$ours_url" "$tr_url"; do
  $python "$helper" wait-seeding "$url" 0 --timeout 120 >/dev/null
  $python "$helper" add "$url" "$work/set/torrents" "$work/set/data" >/dev/null
done
for url in "$ours_url" "$tr_url"; do
  $python "$helper" wait-seeding "$url" "$torrents" --timeout 300 --interval 0.5 >/dev/null
done
echo "both daemons hold $torrents torrents, all seeding"

field() { sed -n "s/.*\b$2=\([^ ]*\).*/\1/p" <<<"$1"; }
declare -A rate p50 p99
for ((r = 1; r <= runs; r++)); do
  order="ours tr"
  (( r % 2 == 0 )) && order="tr ours"
  for d in $order; do
    url=$ours_url; [ "$d" = tr ] && url=$tr_url
    line=$(timeout $((seconds + 120)) java -XX:+UseSerialGC "$root/bench/RpcLoad.java" "$url" "$seconds" 2 "$torrents")
    [ "$(field "$line" errors)" = 0 ] || { echo "bench: $d gave bad answers: $line" >&2; exit 1; }
    rate[$d]+="$(field "$line" rate) "; p50[$d]+="$(field "$line" p50_us) "; p99[$d]+="$(field "$line" p99_us) "
    name=swarmshare; [ "$d" = tr ] && name=transmission
    printf 'run %d  %-12s %8.1f req/s  p50 %6d us  p99 %6d us  max %6d us  %d bytes per answer\n' "$r" "$name" \
      "$(field "$line" rate)" "$(field "$line" p50_us)" "$(field "$line" p99_us)" "$(field "$line" max_us)" \
      "$(field "$line" bytes)"
  done
done

med() { local -n m="$1"; printf '%s\n' ${m[$2]} | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
printf '\ntorrent-get (transmission-remote -l fields), %d torrents, one keep-alive connection, %d s per run, median of %d\n' \
  "$torrents" "$seconds" "$runs"
printf '  %-14s %12s %12s %8s\n' "" swarmshare "$(transmission-daemon -V 2>&1 | head -n1 | awk '{print $1, $2}')" ratio
printf '  %-14s %12.1f %12.1f %8s\n' "requests/s" "$(med rate ours)" "$(med rate tr)" "$(ratio "$(med rate ours)" "$(med rate tr)")"
printf '  %-14s %9d us %9d us %8s\n' "p50 latency" "$(med p50 ours)" "$(med p50 tr)" "$(ratio "$(med p50 ours)" "$(med p50 tr)")"
printf '  %-14s %9d us %9d us %8s\n' "p99 latency" "$(med p99 ours)" "$(med p99 tr)" "$(ratio "$(med p99 ours)" "$(med p99 tr)")"
