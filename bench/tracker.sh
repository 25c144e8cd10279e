#!/usr/bin/env bash
# Benchmarks swarmshare's UDP tracker against opentracker on loopback, side by side in one run.
#
# Throughput: both trackers run at once; for each window W, the load generator keeps W announces
# in flight against one tracker for a fixed time, then against the other, alternating which goes
# first, RUNS times each. The generator is bench/announce_load.c (built here with gcc; a C one is
# what opentracker's own figures use, and it takes less of the two shared cores than the Java one),
# or with --generator java the jar's TrackerLoad, which also does the fill below either way. Prints each run, then medians
# of responses/s, p50/p99 latency and the ratio ours/opentracker, with timeouts and errors.
#
# Memory: a fresh instance of each tracker; TrackerLoad registers FILL_PEERS distinct peers over
# FILL_TORRENTS torrents, each once with event=started; prints the growth of VmRSS per peer and,
# for ours, the live heap after a full GC per peer.
#
# Usage: bench/tracker.sh [--seconds S] [--warmup S] [--runs N] [--windows "1 16 64 256"]
#                         [--fill-peers N] [--fill-torrents N] [--no-throughput] [--no-memory]
#                         [--only-opentracker] [--limits fit|off|both] [--generator c|java]
# The same settings come from the environment: SECONDS_PER_RUN, WARMUP, RUNS, WINDOWS,
# FILL_PEERS, FILL_TORRENTS, JIT_WARMUP (seconds of one unmeasured run per tracker before the
# first measured one, default 10). Also: OT_PORT, OURS_PORT (defaults 26969, 26970), LOAD_TORRENTS,
# LOAD_PEERS, TIMEOUT_MS, NUM_WANT, OURS_JAVA_OPTS (JVM options of our tracker; by default those
# ./swarmshare gives the tracker command),
# LOAD_JAVA_OPTS (of the generator), SWARMSHARE_NO_BUILD=1 (use the jar as it is), OURS_LIMITS.
#
# Our tracker's per-address limits (reference.conf: 2,000 peers, 50 datagrams a second) would refuse
# this load, which comes from 127.0.0.1 alone (the fill from 16 addresses). --limits fit (the
# default) raises them just enough that nothing is refused while the token buckets and the per-
# address ledger still run on every datagram; --limits off sets them to 0, which skips them;
# --limits both runs one instance of each (on OURS_PORT and OURS_PORT+1) and alternates all three
# trackers, so that the cost of the limits is read in one run: the fit/off column.
#
# opentracker's UDP socket keeps the kernel's default receive buffer (it drops bursts above about
# 125 queued datagrams, seen as timeouts at large windows); ours keeps its configured default too.
# Everything binds 127.0.0.1 (the fill also sends from 127.0.0.2..17); every step is bounded in
# time; every process the script starts is stopped on exit.
set -euo pipefail

seconds="${SECONDS_PER_RUN:-10}"
warmup="${WARMUP:-2}"
jit_warmup="${JIT_WARMUP:-10}"
runs="${RUNS:-3}"
windows="${WINDOWS:-1 16 64 256}"
fill_peers="${FILL_PEERS:-1000000}"
fill_torrents="${FILL_TORRENTS:-10000}"
load_torrents="${LOAD_TORRENTS:-1000}"
load_peers="${LOAD_PEERS:-10000}"
timeout_ms="${TIMEOUT_MS:-1000}"
num_want="${NUM_WANT:-50}"
ot_port="${OT_PORT:-26969}"
ours_port="${OURS_PORT:-26970}"
load_java_opts="${LOAD_JAVA_OPTS:--XX:+UseSerialGC}"
ours_java_opts="${OURS_JAVA_OPTS:-}"
ours_limits="${OURS_LIMITS:-fit}"
generator="${GENERATOR:-c}"
do_throughput=1
do_memory=1
only_opentracker=0

while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --windows) windows="$2"; shift 2 ;;
    --fill-peers) fill_peers="$2"; shift 2 ;;
    --fill-torrents) fill_torrents="$2"; shift 2 ;;
    --no-throughput) do_throughput=0; shift ;;
    --no-memory) do_memory=0; shift ;;
    --only-opentracker) only_opentracker=1; shift ;;
    --limits) ours_limits="$2"; shift 2 ;;
    --generator) generator="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

declare -A variant_opts variant_port variant_pid
variant_opts[fit]="-Dswarmshare.tracker.per-address.max-peers=$((fill_peers > load_peers ? fill_peers : load_peers))
  -Dswarmshare.tracker.per-address.max-swarms=$((fill_torrents > load_torrents ? fill_torrents : load_torrents))
  -Dswarmshare.tracker.per-address.udp-rate=1000000000 -Dswarmshare.tracker.per-address.udp-burst=1000000000"
variant_opts[off]="-Dswarmshare.tracker.per-address.max-peers=0 -Dswarmshare.tracker.per-address.max-swarms=0
  -Dswarmshare.tracker.per-address.udp-rate=0"
case "$ours_limits" in
  fit|off) variants=("$ours_limits") ;;
  both) variants=(fit off) ;;
  *) echo "bench: --limits takes fit, off or both, not '$ours_limits'" >&2; exit 2 ;;
esac
variant_port[${variants[0]}]=$ours_port
[ "${#variants[@]}" = 2 ] && variant_port[${variants[1]}]=$((ours_port + 1))

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/common.sh"
jar="$root/launcher/target/swarmshare.jar"
# Ours starts with the options ./swarmshare gives a tracker, unless OURS_JAVA_OPTS says otherwise.
if [ -z "${OURS_JAVA_OPTS+set}" ]; then
  ours_java_opts="$(jvm_options tracker | tr '\n' ' ')"
fi
opentracker="$(command -v opentracker || echo /usr/bin/opentracker)"

die() { echo "bench: $*" >&2; exit 1; }
[ -x "$opentracker" ] || die "opentracker is not installed (apt-get install opentracker)"
command -v java >/dev/null || die "java is not installed"
[[ "$seconds" =~ ^[0-9]+([.][0-9]+)?$ && "$warmup" =~ ^[0-9]+([.][0-9]+)?$ ]] \
  || die "--seconds and --warmup are numbers"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs is a positive integer"
case "$generator" in
  c) command -v gcc >/dev/null || die "--generator c needs gcc (apt-get install gcc), or use --generator java" ;;
  java) ;;
  *) die "--generator takes c or java, not '$generator'" ;;
esac

# --- the jar: built when missing or older than the sources, one Maven build at a time ---------
stale() {
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$root/pom.xml" "$root"/*/pom.xml "$root"/*/src/main -newer "$jar" -print -quit 2>/dev/null)" ]
}
if [ "${SWARMSHARE_NO_BUILD:-0}" != 1 ] && stale; then
  command -v mvn >/dev/null || die "the jar is missing or stale and Maven is not installed"
  echo "bench: building the jar..." >&2
  lock=()
  command -v flock >/dev/null && lock=(flock /tmp/mvn.lock)
  (cd "$root" && "${lock[@]}" mvn -B -q ${MVN_FLAGS:-} -Dmaven.test.skip=true -pl launcher -am package \
      >"$root/launcher/build.log" 2>&1) \
    || die "the build failed (see launcher/build.log); SWARMSHARE_NO_BUILD=1 uses the jar as it is"
fi
[ -f "$jar" ] || die "no jar at $jar"

# --- processes and cleanup --------------------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/swarmshare-bench-tracker.XXXXXX")"
chmod 755 "$work"   # opentracker drops to 'nobody' and chroots into a directory below
started_pids=()

stop_pid() {   # stops one process this script started: TERM, then KILL after 5 s
  local pid="$1" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local pid
  for pid in "${started_pids[@]}"; do stop_pid "$pid"; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

load() {   # runs TrackerLoad with its arguments, bounded in time; prints its report line
  local cap
  cap=$(awk -v s="$seconds" -v w="$warmup" 'BEGIN { printf "%d", s + w + 90 }')
  timeout "${LOAD_CAP:-$cap}" java $load_java_opts -cp "$jar" io.swarmshare.launcher.bench.TrackerLoad "$@" \
    2>>"$work/load.err"
}

generate() {   # generate ARGS...: one throughput run, --mode load, with the chosen generator
  if [ "$generator" = java ]; then
    load --mode load "$@"
    return
  fi
  local cap
  cap=$(awk -v s="$seconds" -v w="$warmup" 'BEGIN { printf "%d", s + w + 90 }')
  # TrackerLoad's arguments, less those the C generator does not take (the pool's size is the file's).
  local args=() skip=0 a
  for a in "$@"; do
    if [ "$skip" = 1 ]; then skip=0; continue; fi
    case "$a" in --torrents) skip=1; continue ;; esac
    args+=("$a")
  done
  timeout "$cap" "$work/announce_load" --hashes "$work/load-hashes" "${args[@]}" 2>>"$work/load.err"
}

field() {   # field LINE KEY: the value of KEY=... in a report line
  sed -n "s/.* $2=\([^ ]*\).*/\1/p; s/^$2=\([^ ]*\).*/\1/p" <<<"$1" | head -n1
}

port_in_use() {   # a UDP socket bound to this local port, or a TCP one listening on it
  local hex
  hex=$(printf ':%04X' "$1")
  { cat /proc/net/udp /proc/net/udp6 2>/dev/null | awk -v p="$hex" '$2 ~ p "$"'
    cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v p="$hex" '$2 ~ p "$" && $4 == "0A"'
  } | grep -q .
}

wait_ready() {   # wait_ready NAME PID PORT LOG: until a test announce is acknowledged (60 s)
  local name="$1" pid="$2" port="$3" log="$4" i
  for ((i = 0; i < 120; i++)); do
    kill -0 "$pid" 2>/dev/null || { sed 's/^/  | /' "$log" >&2; die "$name exited while starting"; }
    if LOAD_CAP=10 load --mode fill --port "$port" --peers 1 --torrents 1 --window 1 \
        --seconds 1 --timeout-ms 200 >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.5
  done
  sed 's/^/  | /' "$log" >&2
  die "$name did not answer an announce within 60 s"
}

ot_dir="$work/opentracker"
mkdir -p "$ot_dir"
chmod 755 "$ot_dir"
whitelist_torrents=$((load_torrents > fill_torrents ? load_torrents : fill_torrents))
java -cp "$jar" io.swarmshare.launcher.bench.TrackerLoad --print-info-hashes \
  --torrents "$whitelist_torrents" >"$ot_dir/whitelist"
chmod 644 "$ot_dir/whitelist"
head -n "$load_torrents" "$ot_dir/whitelist" >"$work/load-hashes"
if [ "$generator" = c ]; then
  gcc -O2 -o "$work/announce_load" "$root/bench/announce_load.c" || die "gcc could not build bench/announce_load.c"
fi

start_opentracker() {   # sets ot_pid; -w is relative to -d, as opentracker chroots there
  port_in_use "$ot_port" && die "port $ot_port is in use (set OT_PORT)"
  "$opentracker" -i 127.0.0.1 -p "$ot_port" -P "$ot_port" -d "$ot_dir" -w whitelist \
    -A 127.0.0.1 >"$work/opentracker.log" 2>&1 &
  ot_pid=$!
  started_pids+=("$ot_pid")
  wait_ready opentracker "$ot_pid" "$ot_port" "$work/opentracker.log"
}

ours_instance=0
start_ours() {   # start_ours VARIANT: sets ours_pid and variant_pid[VARIANT]; its log is $work/ours-VARIANT.log
  local v="$1" port="${variant_port[$1]}"
  port_in_use "$port" && die "port $port is in use (set OURS_PORT)"
  ours_instance=$((ours_instance + 1))
  mkdir -p "$work/ours-$ours_instance"
  java $ours_java_opts ${variant_opts[$v]} -jar "$jar" tracker --host 127.0.0.1 --port "$port" \
    --data-dir "$work/ours-$ours_instance" >"$work/ours-$v.log" 2>&1 &
  ours_pid=$!
  variant_pid[$v]=$ours_pid
  started_pids+=("$ours_pid")
  wait_ready "swarmshare ($v)" "$ours_pid" "$port" "$work/ours-$v.log"
}

alive() {   # alive NAME PID LOG: fails the benchmark when a tracker has gone away mid-run
  kill -0 "$2" 2>/dev/null && return 0
  tail -n 20 "$3" | sed 's/^/  | /' >&2
  die "$1 (pid $2) exited during the benchmark; its log ends as above"
}

stop_tracker() {   # stop_tracker PID
  stop_pid "$1"
}

cpu_busy() {   # percent of CPU time not idle over one second, whoever uses it
  local a b
  a=($(head -n1 /proc/stat))
  sleep 1
  b=($(head -n1 /proc/stat))
  awk -v a="${a[*]}" -v b="${b[*]}" 'BEGIN {
    n = split(a, x, " "); split(b, y, " "); total = 0
    for (i = 2; i <= n; i++) total += y[i] - x[i]
    idle = (y[5] - x[5]) + (y[6] - x[6])
    printf "%d", (total > 0 ? 100 * (total - idle) / total : 0) }'
}

wait_quiet() {   # numbers measured beside another heavy job are worthless: wait for quiet
  local busy i
  for ((i = 0; i < 60; i++)); do
    busy=$(cpu_busy)
    [[ "$busy" =~ ^[0-9]+$ ]] || busy=0
    [ "$busy" -le 15 ] && return 0
    [ "$i" -eq 0 ] && echo "bench: the machine is busy (${busy}% CPU); waiting for it to settle..." >&2
    sleep 4
  done
  echo "bench: WARNING: still ${busy}% busy after 5 minutes; the next figures are suspect" >&2
}

sum() { awk '{s += $1} END {print s + 0}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b + 0 == 0) print "n/a"; else printf "%.2fx", a / b }'; }

vm_rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

heap_used_kib() {   # live heap after a full GC: S0U + S1U + EU + OU from jstat, in KiB
  jcmd "$1" GC.run >/dev/null
  sleep 1
  jstat -gc "$1" | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
    NR == 2 { printf "%d", $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"] }'
}

opentracker_peers() {   # opentracker's own count of the peers it holds (its stats page)
  local reply
  reply=$(timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$ot_port"'
    printf "GET /stats?mode=peer HTTP/1.0\r\n\r\n" >&3; cat <&3' 2>/dev/null | tr -d '\r') || true
  awk 'body && /^[0-9]+$/ {print; exit} /^$/ {body = 1}' <<<"$reply"
}

# --- is our tracker there yet? ----------------------------------------------------------------
have_ours=0
if [ "$only_opentracker" = 1 ]; then
  echo "bench: --only-opentracker: measuring opentracker only" >&2
elif java -jar "$jar" tracker --help >/dev/null 2>&1; then
  have_ours=1
else
  echo "bench: NOTE: this build has no 'swarmshare tracker' command yet;" \
    "measuring opentracker only (the columns for ours read n/a)" >&2
fi

echo "tracker benchmark: $(nproc) cores, $(java -version 2>&1 | head -n1), opentracker $(dpkg-query -W -f='${Version}' opentracker 2>/dev/null || echo '?')"
echo "load: --torrents $load_torrents --peers $load_peers --num-want $num_want --timeout-ms $timeout_ms," \
  "${seconds} s measured after ${warmup} s warm-up, $runs runs per tracker and window, alternating"
if [ "$generator" = c ]; then
  echo "generator: bench/announce_load.c (gcc -O2) --port P --window W --seconds $seconds --warmup $warmup" \
    "--peers $load_peers --timeout-ms $timeout_ms --num-want $num_want --hashes (the first $load_torrents)"
else
  echo "generator: java $load_java_opts -cp swarmshare.jar io.swarmshare.launcher.bench.TrackerLoad --mode load" \
    "--port P --window W --seconds $seconds --warmup $warmup --torrents $load_torrents --peers $load_peers" \
    "--timeout-ms $timeout_ms --num-want $num_want"
fi
echo "opentracker: $opentracker -i 127.0.0.1 -p P -P P -d DIR -w whitelist -A 127.0.0.1 (kernel default socket buffers)"
if [ "$have_ours" = 1 ]; then
  for v in "${variants[@]}"; do
    echo "ours ($v): java $ours_java_opts $(echo ${variant_opts[$v]}) -jar swarmshare.jar tracker --host 127.0.0.1 --port P --data-dir DIR"
  done
fi

# --- throughput -------------------------------------------------------------------------------
if [ "$do_throughput" = 1 ]; then
  wait_quiet
  start_opentracker
  trackers=(ot)
  if [ "$have_ours" = 1 ]; then
    for v in "${variants[@]}"; do
      start_ours "$v"
      trackers+=("$v")
    done
  fi

  # One unmeasured run each first, so that no tracker's first measured run is its JIT's warm-up.
  for t in "${trackers[@]}"; do
    port=$ot_port
    [ "$t" != ot ] && port=${variant_port[$t]}
    generate --port "$port" --window 64 --seconds "$jit_warmup" --warmup 0 --torrents "$load_torrents" \
      --peers "$load_peers" --timeout-ms "$timeout_ms" --num-want "$num_want" >/dev/null || true
  done

  declare -A rates p50s p99s timeouts errors
  for w in $windows; do
    for ((r = 1; r <= runs; r++)); do
      # Each run starts with the next tracker, so that none is always measured first.
      n=${#trackers[@]}
      order=""
      for ((i = 0; i < n; i++)); do order+="${trackers[$(( (i + r) % n ))]} "; done
      for t in $order; do
        port=$ot_port
        [ "$t" != ot ] && port=${variant_port[$t]}
        wait_quiet
        if [ "$t" != ot ]; then alive "swarmshare ($t)" "${variant_pid[$t]}" "$work/ours-$t.log"; else alive opentracker "$ot_pid" "$work/opentracker.log"; fi
        line=$(generate --port "$port" --window "$w" --seconds "$seconds" --warmup "$warmup" \
          --torrents "$load_torrents" --peers "$load_peers" --timeout-ms "$timeout_ms" \
          --num-want "$num_want") || true
        if [ -z "$line" ]; then
          echo "W=$w run $r $t: no report (see below)"; tail -n 5 "$work/load.err" >&2
          continue
        fi
        rates[$t,$w]+="$(field "$line" rate) "
        p50s[$t,$w]+="$(field "$line" p50_us) "
        p99s[$t,$w]+="$(field "$line" p99_us) "
        timeouts[$t,$w]+="$(field "$line" timeouts) "
        errors[$t,$w]+="$(field "$line" errors) "
        name=opentracker
        [ "$t" != ot ] && name="ours-$t"
        printf 'W=%-4s run %d %-11s %10.0f resp/s  p50 %6s us  p99 %6s us  max %6s us  timeouts %s  errors %s\n' \
          "$w" "$r" "$name" "$(field "$line" rate)" "$(field "$line" p50_us)" "$(field "$line" p99_us)" \
          "$(field "$line" max_us)" "$(field "$line" timeouts)" "$(field "$line" errors)"
      done
    done
  done

  agg() {   # agg MAP TRACKER W FUNCTION
    local -n map="$1"
    local values="${map[$2,$3]:-}"
    [ -z "$values" ] && { echo "n/a"; return; }
    tr ' ' '\n' <<<"$values" | grep -v '^$' | "$4"
  }
  latencies() {   # latencies TRACKER W: "p50/p99 us", or n/a
    local p50 p99
    p50=$(agg p50s "$1" "$2" median); p99=$(agg p99s "$1" "$2" median)
    if [ "$p50" = n/a ]; then echo n/a; else echo "$p50/$p99 us"; fi
  }
  rounded() { awk -v v="$1" 'BEGIN { print (v == "n/a") ? v : sprintf("%.0f", v) }'; }
  for v in "${variants[@]}"; do
    echo
    echo "UDP announces, ours with limits $v, medians of $runs runs (ratio = ours / opentracker; timeouts and errors summed over the runs)"
    printf '%-5s %12s %12s %7s %16s %16s %13s %13s\n' W "ours/s" "opentr/s" ratio "ours p50/p99" "opentr p50/p99" \
      "timeouts o/t" "errors o/t"
    for w in $windows; do
      o_rate=$(agg rates "$v" "$w" median); t_rate=$(agg rates ot "$w" median)
      printf '%-5s %12s %12s %7s %16s %16s %13s %13s\n' "$w" "$(rounded "$o_rate")" "$(rounded "$t_rate")" \
        "$(ratio "$o_rate" "$t_rate")" "$(latencies "$v" "$w")" "$(latencies ot "$w")" \
        "$(agg timeouts "$v" "$w" sum)/$(agg timeouts ot "$w" sum)" \
        "$(agg errors "$v" "$w" sum)/$(agg errors ot "$w" sum)"
    done
  done
  if [ "${#variants[@]}" = 2 ] && [ "$have_ours" = 1 ]; then
    echo
    echo "the cost of the per-address limits: ours with them (fit) / ours without them (off), medians"
    printf '%-5s %12s %12s %7s\n' W "fit/s" "off/s" "fit/off"
    for w in $windows; do
      f_rate=$(agg rates fit "$w" median); n_rate=$(agg rates off "$w" median)
      printf '%-5s %12s %12s %7s\n' "$w" "$(rounded "$f_rate")" "$(rounded "$n_rate")" "$(ratio "$f_rate" "$n_rate")"
    done
  fi
  stop_tracker "$ot_pid"
  for v in "${variants[@]}"; do
    [ -n "${variant_pid[$v]:-}" ] && stop_tracker "${variant_pid[$v]}"
  done
fi

# --- memory -----------------------------------------------------------------------------------
if [ "$do_memory" = 1 ]; then
  echo
  echo "memory: fresh instances; $fill_peers peers over $fill_torrents torrents, each announcing started once:"
  echo "  TrackerLoad --mode fill --port P --peers $fill_peers --torrents $fill_torrents --window 64" \
    "--timeout-ms $timeout_ms --num-want $num_want"
  fill_cap=$(( fill_peers / 2000 + 120 ))
  fill() {   # fill PORT: prints the report line
    LOAD_CAP=$((fill_cap + 30)) load --mode fill --port "$1" --peers "$fill_peers" \
      --torrents "$fill_torrents" --window 64 --seconds "$fill_cap" --timeout-ms "$timeout_ms" \
      --num-want "$num_want" || true
  }
  per_peer() { awk -v kib="$1" -v n="$2" 'BEGIN { if (n > 0) printf "%.1f", kib * 1024 / n; else print "n/a" }'; }

  wait_quiet
  start_opentracker
  sleep 1
  before=$(vm_rss_kib "$ot_pid")
  line=$(fill "$ot_port")
  sleep 2
  alive opentracker "$ot_pid" "$work/opentracker.log"
  after=$(vm_rss_kib "$ot_pid")
  ot_acked=$(field "$line" acknowledged)
  ot_bpp=$(per_peer $((after - before)) "${ot_acked:-0}")
  printf 'opentracker: acknowledged %s in %s s (%s errors, %s timeouts); it counts %s peers\n' \
    "${ot_acked:-0}" "$(field "$line" seconds)" "$(field "$line" errors)" "$(field "$line" timeouts)" \
    "$(opentracker_peers || echo '?')"
  printf '  VmRSS %d KiB -> %d KiB: %s bytes per peer\n' "$before" "$after" "$ot_bpp"
  stop_tracker "$ot_pid"

  ours_bpp="n/a"
  ours_heap_bpp="n/a"
  if [ "$have_ours" = 1 ]; then
    wait_quiet
    start_ours "${variants[0]}"
    sleep 1
    heap_before=""
    command -v jcmd >/dev/null && command -v jstat >/dev/null && heap_before=$(heap_used_kib "$ours_pid")
    before=$(vm_rss_kib "$ours_pid")
    line=$(fill "$ours_port")
    sleep 2
    alive swarmshare "$ours_pid" "$work/ours-${variants[0]}.log"
    after=$(vm_rss_kib "$ours_pid")
    ours_acked=$(field "$line" acknowledged)
    ours_bpp=$(per_peer $((after - before)) "${ours_acked:-0}")
    printf 'swarmshare:  acknowledged %s in %s s (%s errors, %s timeouts)\n' \
      "${ours_acked:-0}" "$(field "$line" seconds)" "$(field "$line" errors)" "$(field "$line" timeouts)"
    printf '  VmRSS %d KiB -> %d KiB: %s bytes per peer\n' "$before" "$after" "$ours_bpp"
    if [ -n "$heap_before" ]; then
      heap_after=$(heap_used_kib "$ours_pid")
      ours_heap_bpp=$(per_peer $((heap_after - heap_before)) "${ours_acked:-0}")
      printf '  heap used after a full GC %d KiB -> %d KiB: %s bytes per peer\n' \
        "$heap_before" "$heap_after" "$ours_heap_bpp"
    else
      echo "  (jcmd or jstat missing: no heap figure)"
    fi
    stop_tracker "$ours_pid"
  fi
  echo
  printf 'bytes per peer: ours %s (RSS growth), %s (live heap); opentracker %s (RSS growth)\n' \
    "$ours_bpp" "$ours_heap_bpp" "$ot_bpp"
  printf 'ours / opentracker: %s (RSS growth vs RSS growth), %s (our live heap vs its RSS growth)\n' \
    "$(ratio "$ours_bpp" "$ot_bpp")" "$(ratio "$ours_heap_bpp" "$ot_bpp")"
fi
