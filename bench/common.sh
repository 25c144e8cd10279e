# Shell functions the benchmark scripts share; sourced, not run.

# await_line FILE REGEX: prints the first match (-oP, so \K and lookarounds work) of the first line
# of FILE matching REGEX, waiting up to two minutes for it to appear.
await_line() {
  for _ in $(seq 1 1200); do
    if line=$(grep -m1 -oP "$2" "$1" 2>/dev/null); then echo "$line"; return; fi
    sleep 0.1
  done
  echo "bench: no line matching $2 in $1:" >&2
  cat "$1" >&2
  exit 1
}

# require_tools TOOL...: exits, naming it, at the first TOOL that is not installed.
require_tools() {
  local tool
  for tool; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 1; }
  done
}

# median: the median of the numbers on stdin, one per line ("nan" if there are none).
median() {
  sort -g | awk '{a[NR] = $1} END { if (NR == 0) print "nan"; else print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# cpu_seconds PID...: the user + system CPU seconds the running processes PID... have used so far,
# summed (/proc/PID/stat's utime and stime; their own threads, not children they have waited for).
cpu_seconds() {
  local ticks pid total=0
  ticks=$(getconf CLK_TCK)
  for pid; do
    total=$((total + $(awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$pid/stat")))
  done
  echo "$total / $ticks" | bc -l
}

# cpu_since PID BEFORE: the CPU seconds the running process PID has used since cpu_seconds said BEFORE.
cpu_since() { echo "$(cpu_seconds "$1") - $2" | bc -l; }

# measure FILE COMMAND...: runs COMMAND (its output goes where the caller's does) as a whole process
# and writes "WALL_SECONDS CPU_SECONDS PEAK_RSS_KB" to FILE (CPU = user + system, GNU time's).
measure() {
  local file=$1
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$file.raw" "$@"
  awk '{print $1, $2 + $3, $4}' "$file.raw" >"$file"
}

# ---- for the daemon benchmarks (bench/daemon-*.sh), which set $python, $helper and $jar first ----

# stop_process PID [SECONDS]: SIGTERM, then SIGKILL after SECONDS (30 unless given); nothing if PID is "".
stop_process() {
  [ -n "$1" ] || return 0
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 $((${2:-30} * 10))); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on now.
free_port() { $python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# make_small_torrents OUT COUNT: COUNT single-file torrents of 4 KiB of random bytes each (one
# 16 KiB piece, no trackers), in OUT/torrents, their data in OUT/data.
make_small_torrents() {
  echo "writing $2 torrents of 4 KiB..."
  $python "$helper" make "$1" "$2" 4096 --piece 16384 >/dev/null
}

# jvm_options [tracker|daemon]: the options ./swarmshare starts Java with, one a line
# (launcher/jvm.options less comments, @launcher@ made its path; for tracker or daemon,
# launcher/server.jvm.options after them, and for tracker launcher/tracker.jvm.options, as for
# those commands).
jvm_options() {
  local files=("$root/launcher/jvm.options") option
  case "${1:-}" in
    tracker) files+=("$root/launcher/server.jvm.options" "$root/launcher/tracker.jvm.options") ;;
    daemon) files+=("$root/launcher/server.jvm.options") ;;
  esac
  cat "${files[@]}" | grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' | while IFS= read -r option; do
    printf '%s\n' "${option//@launcher@/$root/launcher}"
  done
}

# start_swarmshare_daemon DATA_DIR DOWNLOAD_DIR RPC_PORT LOG: our daemon from $jar, in the
# background (its pid is then $!), as ./swarmshare starts it without its staleness check; peers on
# any port, the RPC on 127.0.0.1:RPC_PORT.
start_swarmshare_daemon() {
  java $(jvm_options daemon) -jar "$jar" daemon --data-dir "$1" \
    --download-dir "$2" --port 0 --rpc-host 127.0.0.1 --rpc-port "$3" >"$4" 2>&1 &
}

# start_transmission_daemon CONFIG_DIR DOWNLOAD_DIR RPC_PORT PEER_PORT LOG: Debian's
# transmission-daemon, in the background (its pid is then $!). No DHT, LPD, uTP or port mapping;
# RPC and peers on loopback only, no login; the RPC whitelist is its default, 127.0.0.1.
start_transmission_daemon() {
  transmission-daemon -f -g "$1" -p "$3" -P "$4" -w "$2" --no-auth \
    -r 127.0.0.1 -i 127.0.0.1 -O -Y -M --no-utp --log-error >"$5" 2>&1 &
}

# hold_torrents SET COUNT URL...: once each daemon's RPC answers, gives it the first COUNT torrents
# of SET (as make_small_torrents wrote it) beside their data, all daemons before waiting on any, so
# that they check at the same time; returns once every daemon lists COUNT torrents, all seeding.
hold_torrents() {
  local set=$1 count=$2 url
  shift 2
  for url; do
    $python "$helper" wait-seeding "$url" 0 --timeout 120 >/dev/null
    (( count == 0 )) || $python "$helper" add "$url" "$set/torrents" "$set/data" --count "$count" >/dev/null
  done
  for url; do
    $python "$helper" wait-seeding "$url" "$count" --timeout 600 --interval 0.5 >/dev/null
  done
}
