#!/usr/bin/env bash
# How long a daemon holding many torrents takes to come back: from starting the process until
# every torrent is seeding again, ours (`swarmshare daemon`) beside libtorrent, in the same run.
#   bench/daemon-restart.sh [TORRENTS (default 100)] [MIB_EACH (default 20)] [RUNS (default 3)]
# (100 x 20 MiB = 2 GiB by default, to fit a run into minutes on a shared 2-core machine;
# `bench/daemon-restart.sh 100 100` is the 10 GiB case.)
#
# TORRENTS single-file torrents of MIB_EACH MiB of random bytes each (1 MiB pieces, no trackers)
# are seeded from one download directory. Four ways back, alternating in turn, RUNS times each:
#   ours, resume        a normal restart: the daemon's data dir as the last run left it
#   ours, recheck       the same after deleting every file under DATA_DIR/resume/, which is what
#                       a user does to make the daemon check all data (as after restoring a
#                       backup); every byte is hashed again
#   libtorrent, resume  a libtorrent 2.0 session adding every torrent with the resume data it
#                       wrote the run before (write_resume_data_buf / read_resume_data)
#   libtorrent, recheck the same session without resume data: libtorrent checks every file
# libtorrent's torrents are added without auto_managed (and not paused), so that all of them
# check at once as ours do; with its default queue (active_checking 1) each torrent waits for the
# next second's tick, about 1 s per torrent whatever its size.
# Each is a fresh process, timed from its start until all torrents are seeding: for ours, a
# poller (bench/daemon_bench.py wait-seeding: torrent-get of id and status every 20 ms over one
# keep-alive connection) sees all TORRENTS with status 6; libtorrent's own process reports it
# (is_seeding of every handle, polled every 10 ms). The page cache is warm (the data is read once
# before the runs), so the rechecks measure hashing, not the disk. Our daemon is stopped with
# SIGTERM after each run; libtorrent saves its resume data after its timed part. Prints every run,
# then medians and ratios ours / libtorrent.
set -euo pipefail

torrents="${1:-100}"
mib="${2:-20}"
runs="${3:-3}"
[[ "$torrents" =~ ^[1-9][0-9]*$ && "$mib" =~ ^[1-9][0-9]*$ && "$runs" =~ ^[1-9][0-9]*$ ]] \
  || { echo "usage: bench/daemon-restart.sh [TORRENTS] [MIB_EACH] [RUNS] (positive integers)" >&2; exit 2; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/common.sh"
python=/usr/bin/python3
helper="$root/bench/daemon_bench.py"
jar="$root/launcher/target/swarmshare.jar"
$python -c 'import libtorrent' 2>/dev/null || { echo "bench: python3-libtorrent is not installed" >&2; exit 1; }
need_kib=$((torrents * mib * 1024 + 1024 * 1024))
avail_kib=$(df -Pk "${TMPDIR:-/tmp}" | awk 'NR == 2 {print $4}')
[ "$avail_kib" -gt "$need_kib" ] || { echo "bench: $((need_kib / 1024)) MiB needed under ${TMPDIR:-/tmp}, $((avail_kib / 1024)) MiB free" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/swarmshare-bench-restart.XXXXXX")"
daemon_pid=""
stop_daemon() { stop_process "$daemon_pid" 60; daemon_pid=""; }
cleanup() { stop_daemon; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

"$root/swarmshare" --version >/dev/null   # builds the jar once, outside the timings
rpc_port=$(free_port)
url="http://127.0.0.1:$rpc_port/transmission/rpc"

echo "writing $torrents files of $mib MiB of random bytes and their .torrent files..."
$python "$helper" make "$work/set" "$torrents" $((mib * 1024 * 1024)) >/dev/null
cat "$work/set/data"/* >/dev/null   # the page cache, warm

start_ours() {
  start_swarmshare_daemon "$work/ours" "$work/set/data" "$rpc_port" "$work/ours.log"
  daemon_pid=$!
}

echo "adding them to our daemon and to libtorrent (each hashes everything once, untimed)..."
start_ours
$python "$helper" wait-seeding "$url" 0 --timeout 120 >/dev/null
$python "$helper" add "$url" "$work/set/torrents" "$work/set/data" >/dev/null
$python "$helper" wait-seeding "$url" "$torrents" >/dev/null
stop_daemon
$python "$helper" lt-seed "$work/set/torrents" "$work/set/data" "$work/lt-resume" --not-auto-managed >/dev/null

one_run() {   # one_run VARIANT: prints "SECONDS HASHED_TORRENTS"
  local t0 at hashed=""
  case "$1" in
    ours-resume|ours-recheck)
      [ "$1" = ours-recheck ] && rm -f "$work/ours/resume"/*
      t0=$(date +%s.%N)
      start_ours
      at=$($python "$helper" wait-seeding "$url" "$torrents" | grep -oP '"seeding_at": \K[0-9.]+')
      stop_daemon
      # A torrent waiting for the queue is looked at first ("..., stopped"), then starts from what that found.
      hashed=$(grep -c '(hashed [0-9]* bytes)' "$work/ours.log" || true)
      ;;
    lt-resume|lt-recheck)
      local flag=--resume
      [ "$1" = lt-recheck ] && flag=""
      t0=$(date +%s.%N)
      at=$($python "$helper" lt-seed "$work/set/torrents" "$work/set/data" "$work/lt-resume" $flag --not-auto-managed \
        | grep -oP '"seeding_at": \K[0-9.]+')
      hashed="?"
      ;;
  esac
  echo "$(awk -v a="$at" -v b="$t0" 'BEGIN { printf "%.3f", a - b }') $hashed"
}

variants=(ours-resume ours-recheck lt-resume lt-recheck)
declare -A times
for ((r = 1; r <= runs; r++)); do
  for ((k = 0; k < ${#variants[@]}; k++)); do
    v=${variants[$(((k + r - 1) % ${#variants[@]}))]}
    read -r s hashed < <(one_run "$v")
    times[$v]+="$s "
    note=""
    [[ "$v" == ours-* ]] && note="  ($hashed of $torrents torrents hashed)"
    printf 'run %d  %-13s %8.2f s%s\n' "$r" "$v" "$s" "$note"
  done
done

med() { printf '%s\n' ${times[$1]} | median; }
printf '\nrestart to all seeding: %d torrents x %d MiB (%s GiB), page cache warm, median of %d (libtorrent %s)\n' \
  "$torrents" "$mib" "$(awk -v m=$((torrents * mib)) 'BEGIN { printf "%.1f", m / 1024 }')" "$runs" "$($python -c 'import libtorrent; print(libtorrent.__version__)')"
printf '  %-24s %10s %10s %8s\n' "" swarmshare libtorrent ratio
for kind in resume recheck; do
  o=$(med "ours-$kind"); l=$(med "lt-$kind")
  printf '  %-24s %8.2f s %8.2f s %7.2fx\n' "$kind" "$o" "$l" "$(awk -v a="$o" -v b="$l" 'BEGIN { print a / b }')"
done
