#!/usr/bin/env bash
# Hashes one large file with `swarmshare create` and with mktorrent, same piece length and thread
# count, page cache warm, alternating runs; prints each run, then the medians of each whole process
# (wall time from the command's start to its exit, in MB/s, and its CPU-seconds) and the ratio.
#   bench/create.sh [SIZE_GIB (default 4)] [RUNS (default 3)] [THREADS (default: cores)]
set -euo pipefail

size_gib="${1:-4}"
runs="${2:-3}"
threads="${3:-$(nproc)}"
piece_exponent=22   # 4 MiB pieces: what both tools choose for a 4 GiB file

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/common.sh"
command -v mktorrent >/dev/null || { echo "bench: mktorrent is not installed (apt-get install mktorrent)" >&2; exit 1; }
work="$(mktemp -d "${TMPDIR:-/tmp}/swarmshare-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

"$root/swarmshare" --version >/dev/null   # builds the jar once, outside the timings

file="$work/sample.bin"
echo "writing a ${size_gib} GiB file of random bytes..."
head -c "$((size_gib * 1024 * 1024 * 1024))" /dev/urandom >"$file"
bytes=$(stat -c %s "$file")
cat "$file" >/dev/null   # warm the page cache

ours=()
theirs=()
ours_cpu=()
theirs_cpu=()
for ((i = 1; i <= runs; i++)); do
  measure "$work/time" "$root/swarmshare" create "$file" --piece-length $((1 << piece_exponent)) --threads "$threads" \
    -o "$work/ours.torrent" --force >/dev/null 2>&1
  read -r t c _ <"$work/time"
  ours+=("$t"); ours_cpu+=("$c")
  rm -f "$work/mk.torrent"
  measure "$work/time" mktorrent -l "$piece_exponent" -t "$threads" -a udp://127.0.0.1:6969/announce \
    -o "$work/mk.torrent" "$file" >/dev/null 2>&1
  read -r t c _ <"$work/time"
  theirs+=("$t"); theirs_cpu+=("$c")
  printf 'run %d: swarmshare %.2f s (%.2f CPU-s), mktorrent %.2f s (%.2f CPU-s)\n' "$i" "${ours[-1]}" "${ours_cpu[-1]}" \
    "${theirs[-1]}" "${theirs_cpu[-1]}"
done

ours_hash=$("$root/swarmshare" info --json "$work/ours.torrent" | sed 's/.*"infoHash":"\([0-9a-f]*\)".*/\1/')
mk_hash=$("$root/swarmshare" info --json "$work/mk.torrent" | sed 's/.*"infoHash":"\([0-9a-f]*\)".*/\1/')
[ "$ours_hash" = "$mk_hash" ] || { echo "bench: info hashes differ: $ours_hash vs $mk_hash" >&2; exit 1; }

ours_median=$(printf '%s\n' "${ours[@]}" | median)
mk_median=$(printf '%s\n' "${theirs[@]}" | median)
mbps() { echo "$bytes / 1000000 / $1" | bc -l; }
printf '\n%s\n' "create: ${size_gib} GiB, 4 MiB pieces, ${threads} threads, warm cache, median of ${runs} (JVM start included)"
printf '  swarmshare  %8.1f MB/s  (%.2f s, %.2f CPU-s)\n' "$(mbps "$ours_median")" "$ours_median" \
  "$(printf '%s\n' "${ours_cpu[@]}" | median)"
printf '  mktorrent   %8.1f MB/s  (%.2f s, %.2f CPU-s)\n' "$(mbps "$mk_median")" "$mk_median" \
  "$(printf '%s\n' "${theirs_cpu[@]}" | median)"
printf '  ratio       %8.2fx mktorrent (same info hash %s)\n' "$(echo "$mk_median / $ours_median" | bc -l)" "$ours_hash"
