#!/usr/bin/env bash
# One seeder and one leecher on loopback, page cache warm, for each pair of clients: ours to ours,
# libtorrent to libtorrent, ours to libtorrent and libtorrent to ours, RUNS times each in turn.
# Prints each run, then per pair the median MB/s, the ratio to libtorrent-to-libtorrent, the
# leecher's whole process (wall seconds from its start to its exit, and its CPU seconds), its
# peak resident size, and the CPU-seconds the seeder used while serving it. With a Java 25 or later
# beside the default one (AOT_JAVA_HOME, or the first /usr/lib/jvm/temurin-2[5-9]*), a fifth pair
# runs our leecher on it with ./swarmshare's AOT cache.
#   bench/transfer.sh [SIZE_GIB (default 1)] [RUNS (default 3)]
#
# The in-process time is the leecher's own: from its first connection attempt (libtorrent, told the seeder's
# address) or from the start of the torrent after its disk check (ours, with --peer, which connects
# at once) until every piece is verified; process start-up is left out of both. Each seeder is
# started once and serves every run, as a seeder would. Every leecher is a fresh process, so ours
# also compiles its code (C1, and C2 for SHA-1: launcher/jvm.options) as it downloads; the last
# two lines show our leecher warm instead, in one JVM after two untimed downloads, with the
# daemon's options (C2 for all code: launcher/server.jvm.options).
set -euo pipefail

size_gib="${1:-1}"
runs="${2:-3}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/common.sh"
python=/usr/bin/python3
lt_peer="$root/interop/libtorrent_peer.py"
$python -c 'import libtorrent' 2>/dev/null || { echo "bench: python3-libtorrent is not installed" >&2; exit 1; }
work="$(mktemp -d "${TMPDIR:-/tmp}/swarmshare-bench.XXXXXX")"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

"$root/swarmshare" --version >/dev/null   # builds the jar once, outside the timings
aot_home="${AOT_JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-2[5-9]* 2>/dev/null | head -1)}"
if [ -n "$aot_home" ]; then
  JAVA_HOME="$aot_home" "$root/swarmshare" --version >/dev/null   # makes its AOT cache, untimed
fi

mkdir -p "$work/seed"
echo "writing a ${size_gib} GiB file of random bytes..."
head -c "$((size_gib * 1024 * 1024 * 1024))" /dev/urandom >"$work/seed/payload.bin"
bytes=$(stat -c %s "$work/seed/payload.bin")
"$root/swarmshare" create "$work/seed/payload.bin" -o "$work/payload.torrent" >/dev/null
cat "$work/seed/payload.bin" >/dev/null   # warm the page cache


echo "starting the seeders..."
"$root/swarmshare" share "$work/seed/payload.bin" --torrent "$work/payload.torrent" --port 0 >"$work/ours-seed.log" 2>&1 &
ours_seeder=$!
pids+=($!)
ours_port=$(await_line "$work/ours-seed.log" 'on port \K\d+')
$python "$lt_peer" "$work/payload.torrent" "$work/seed" --timeout 86400 >"$work/lt-seed.log" 2>&1 &
lt_seeder=$!
pids+=($!)
lt_port=$(await_line "$work/lt-seed.log" '"listening": \K\d+')

leech() {   # leech ours|aot|lt SEEDER_PORT SEEDER_PID: prints "SECONDS PEAK_RSS_KB WALL_S CPU_S SEEDER_CPU_S"
  local dir="$work/leech" log="$work/leech.log" seeder_before
  rm -rf "$dir" && mkdir -p "$dir"
  seeder_before=$(cpu_seconds "$3")
  if [ "$1" = lt ]; then
    measure "$work/time" $python "$lt_peer" "$work/payload.torrent" "$dir" \
      --connect "127.0.0.1:$2" --exit-when-done --timeout 600 >"$log" 2>&1
    seconds=$(grep -oP '"finished": true, "seconds": \K[0-9.]+' "$log")
  else
    local java_home="${JAVA_HOME:-}"
    [ "$1" = aot ] && java_home="$aot_home"
    measure "$work/time" env JAVA_HOME="$java_home" "$root/swarmshare" get "$work/payload.torrent" --peer "127.0.0.1:$2" \
      -o "$dir" --port 0 --exit-when-done >"$log" 2>&1
    seconds=$(grep -oP 'download complete, .* in \K[0-9.]+' "$log")
  fi
  cmp -s "$dir/payload.bin" "$work/seed/payload.bin" || { echo "bench: the copy differs" >&2; cat "$log" >&2; exit 1; }
  local wall cpu peak
  read -r wall cpu peak <"$work/time"
  echo "$seconds $peak $wall $cpu $(cpu_since "$3" "$seeder_before")"
}


declare -A times rss walls cpus seeder_cpus
pairs=("ours->ours" "lt->lt" "ours->lt" "lt->ours")
[ -n "$aot_home" ] && pairs+=("ours->aot")
for ((i = 1; i <= runs; i++)); do
  for pair in "${pairs[@]}"; do
    seeder=${pair%%->*}; leecher=${pair##*->}
    if [ "$seeder" = ours ]; then port=$ours_port; pid=$ours_seeder; else port=$lt_port; pid=$lt_seeder; fi
    read -r s r w c sc < <(leech "$leecher" "$port" "$pid")
    times[$pair]+="$s "; rss[$pair]+="$r "; walls[$pair]+="$w "; cpus[$pair]+="$c "; seeder_cpus[$pair]+="$sc "
    printf 'run %d  %-11s %6.2f s  %7.1f MB/s  whole process %6.2f s, %6.2f CPU-s  leecher peak RSS %d MiB  seeder %5.2f CPU-s\n' \
      "$i" "$pair" "$s" "$(echo "$bytes / 1000000 / $s" | bc -l)" "$w" "$c" "$((r / 1024))" "$sc"
  done
done

# Our leecher warm: one JVM downloads twice untimed while the JIT compiles, then RUNS times timed,
# as the daemon would after it has been up for a while.
warm() {   # warm SEEDER_PORT: prints the median seconds
  java $(jvm_options daemon) -cp "$root/launcher/target/swarmshare.jar" \
    io.swarmshare.launcher.bench.RepeatedDownload --torrent "$work/payload.torrent" --peer-port "$1" \
    --dir "$work/warm" --warmup 2 --runs "$runs" >"$work/warm.log" 2>/dev/null
  cmp -s "$work/warm/payload.bin" "$work/seed/payload.bin" || { echo "bench: the warm copy differs" >&2; exit 1; }
  grep -oP 'run \d+: \K[0-9.]+' "$work/warm.log" | median
}
warm_ours=$(warm "$ours_port")
warm_lt=$(warm "$lt_port")
printf 'warm   ours->ours  %6.2f s  lt->ours %6.2f s  (medians; our leecher after two untimed downloads)\n' \
  "$warm_ours" "$warm_lt"

printf '\ntransfer: %d GiB, one seeder, one leecher, loopback, warm cache, median of %d (lt = libtorrent %s)\n' \
  "$size_gib" "$runs" "$($python -c 'import libtorrent; print(libtorrent.__version__)')"
[ -n "$aot_home" ] && echo "  (aot = our leecher on $aot_home with ./swarmshare's AOT cache; ours = $(java -version 2>&1 | head -1))"
base=$(printf '%s\n' ${times[lt->lt]} | median)
base_wall=$(printf '%s\n' ${walls[lt->lt]} | median)
printf '  %-11s %13s %14s %15s %8s %10s %14s %12s\n' pair in-process "vs lt->lt" "whole process" "vs lt->lt" "CPU-s" "peak RSS" \
  "seeder CPU-s"
for pair in "${pairs[@]}"; do
  m=$(printf '%s\n' ${times[$pair]} | median)
  r=$(printf '%s\n' ${rss[$pair]} | median)
  w=$(printf '%s\n' ${walls[$pair]} | median)
  c=$(printf '%s\n' ${cpus[$pair]} | median)
  sc=$(printf '%s\n' ${seeder_cpus[$pair]} | median)
  printf '  %-11s %8.1f MB/s %13.2fx %13.2f s %8.2fx %10.2f %10d MiB %12.2f\n' "$pair" \
    "$(echo "$bytes / 1000000 / $m" | bc -l)" "$(echo "$base / $m" | bc -l)" "$w" "$(echo "$base_wall / $w" | bc -l)" \
    "$c" "$((${r%.*} / 1024))" "$sc"
done
for pair in "ours->ours $warm_ours" "lt->ours $warm_lt"; do
  set -- $pair
  printf '  %-11s %8.1f MB/s  %5.2fx lt->lt  our leecher warm\n' "$1" \
    "$(echo "$bytes / 1000000 / $2" | bc -l)" "$(echo "$base / $2" | bc -l)"
done
