#!/usr/bin/env bash
# A swarm under fire: a tracker, three seeders and eight leechers, each its own process on
# loopback, plus one lying peer that claims every piece and answers every request with random
# bytes. For DURATION seconds a random node (the tracker included, the liar excepted) is killed
# with kill -9 every few seconds and started again on the same directory a few seconds later.
# Then every node is brought back up and each leecher must end with a byte-identical copy.
#
# Prints every fault injected, what the liar sent, the pieces that failed their hash, the bytes
# the leechers fetched again, the pieces killed leechers kept, and the result.
#   bench/chaos.sh [--duration S (default 60)] [--size MIB (default 64)] [--seed N]
#
# Seeders upload at most 4 MB/s each, so that the transfer outlasts the chaos. Bytes fetched again
# are counted from the leechers' logs: exactly for pieces that failed their hash and for the run
# that completed; the blocks in flight when a leecher is killed are lost uncounted. Every wait is
# bounded; every process the script starts is stopped on exit.
set -euo pipefail

duration=60
size_mib=64
seed=$$
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --size) size_mib="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    *) echo "usage: bench/chaos.sh [--duration S] [--size MIB] [--seed N]" >&2; exit 2 ;;
  esac
done
RANDOM=$seed
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/common.sh"
python=/usr/bin/python3
$python -c 'import libtorrent' 2>/dev/null || { echo "bench: python3-libtorrent is not installed" >&2; exit 1; }
work="$(mktemp -d "${TMPDIR:-/tmp}/swarmshare-chaos.XXXXXX")"
declare -A pid runs started_at
nodes=(tracker seed1 seed2 seed3 leech1 leech2 leech3 leech4 leech5 leech6 leech7 leech8)
leechers=(leech1 leech2 leech3 leech4 leech5 leech6 leech7 leech8)
liar_pid=
stop_all() {
  for n in "${!pid[@]}"; do kill "${pid[$n]}" 2>/dev/null || true; done
  [ -n "$liar_pid" ] && kill "$liar_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap 'stop_all; rm -rf "$work"' EXIT

"$root/swarmshare" --version >/dev/null   # builds the jar once, before anything is timed
tracker_port=$($python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
announce="udp://127.0.0.1:$tracker_port/announce"

mkdir -p "$work/seed"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom >"$work/seed/chaos.bin"
"$root/swarmshare" create "$work/seed/chaos.bin" --piece-length 262144 -o "$work/chaos.torrent" >/dev/null
size=$(stat -c %s "$work/seed/chaos.bin")
for s in seed1 seed2 seed3; do mkdir -p "$work/$s" && cp "$work/seed/chaos.bin" "$work/$s/"; done
for l in "${leechers[@]}"; do
  cat >"$work/$l.conf" <<EOF
swarmshare.node { name = $l, roles = [peer], data-dir = "$l", trackers = ["$announce"], fetch = ["chaos.torrent"] }
swarmshare.peer { host = "127.0.0.1", port = 0 }
EOF
done

# start NODE: starts the node on its directory, its output in NODE.N.log for its Nth run
start() {
  local n=$1 r=$(( ${runs[$1]:-0} + 1 ))
  runs[$n]=$r
  local log="$work/$n.$r.log"
  case "$n" in
    tracker)
      SWARMSHARE_JAVA_OPTS="-Dswarmshare.tracker.announce-interval=5s -Dswarmshare.tracker.min-announce-interval=2s" \
        "$root/swarmshare" tracker --host 127.0.0.1 --port "$tracker_port" --data-dir "$work/tracker" >"$log" 2>&1 &
      ;;
    seed*)
      "$root/swarmshare" share "$work/$n/chaos.bin" --torrent "$work/chaos.torrent" --tracker "$announce" \
        --port 0 --data-dir "$work/$n/torrents" --upload-limit 4000000 >"$log" 2>&1 &
      ;;
    leech*)
      "$root/swarmshare" node --config "$work/$n.conf" >"$log" 2>&1 &
      ;;
  esac
  pid[$n]=$!
  started_at[$n]=$(date +%s)
}

start tracker
await_line "$work/tracker.1.log" '()tracker up' >/dev/null
for s in seed1 seed2 seed3; do start "$s"; done
liar_port=$($python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
$python "$root/interop/lying_peer.py" "$work/chaos.torrent" --port "$liar_port" --tracker "$announce" \
  --timeout 3600 >"$work/liar.log" 2>&1 &
liar_pid=$!
await_line "$work/liar.log" '()"listening"' >/dev/null
for s in seed1 seed2 seed3; do await_line "$work/$s.1.log" '()seeding chaos\.bin' >/dev/null; done
for l in "${leechers[@]}"; do start "$l"; done

printf 'chaos: %d s of kill -9 in a swarm of 1 tracker, 3 seeders (4 MB/s each), 8 leechers and 1 lying peer; %d MiB, seed %d\n' \
  "$duration" "$size_mib" "$seed"
began=$(date +%s.%N)
elapsed() { echo "$(date +%s.%N) - $began" | bc -l; }
declare -A down_until
faults=0
declare -A faults_by
while (( $(echo "$(elapsed) < $duration" | bc -l) )); do
  sleep "$(( 2 + RANDOM % 4 )).$(( RANDOM % 10 ))"
  now=$(elapsed)
  for n in "${!down_until[@]}"; do
    if (( $(echo "$now >= ${down_until[$n]}" | bc -l) )); then
      start "$n"
      printf '  %6.1f s  %-7s started again (run %d)\n' "$now" "$n" "${runs[$n]}"
      unset "down_until[$n]"
    fi
  done
  victim=${nodes[$(( RANDOM % ${#nodes[@]} ))]}
  # A node down already, or started less than 3 s ago, is left alone this time.
  [ -n "${down_until[$victim]:-}" ] && continue
  (( $(date +%s) - started_at[$victim] < 3 )) && continue
  kill -9 "${pid[$victim]}" 2>/dev/null || true
  wait "${pid[$victim]}" 2>/dev/null || true
  pause="$(( 1 + RANDOM % 5 )).$(( RANDOM % 10 ))"
  down_until[$victim]=$(echo "$now + $pause" | bc -l)
  faults=$((faults + 1))
  kind=${victim%%[0-9]*}
  faults_by[$kind]=$(( ${faults_by[$kind]:-0} + 1 ))
  printf '  %6.1f s  kill -9 %-7s (down for about %s s)\n' "$now" "$victim" "$pause"
done
for n in "${!down_until[@]}"; do start "$n"; printf '  %6.1f s  %-7s started again (run %d)\n' "$(elapsed)" "$n" "${runs[$n]}"; done

# Every leecher's latest run must say its file is verified (a run that finds it whole says so too).
result=PASS
deadline=$(( $(date +%s) + 300 ))
for l in "${leechers[@]}"; do
  while ! grep -q 'done: chaos\.bin verified' "$work/$l.${runs[$l]}.log" && [ "$(date +%s)" -lt "$deadline" ]; do
    sleep 0.2
  done
  if ! grep -q 'done: chaos\.bin verified' "$work/$l.${runs[$l]}.log"; then
    echo "bench: $l did not finish within 5 minutes of the chaos; its last log:" >&2
    tail -5 "$work/$l.${runs[$l]}.log" >&2
    result=FAIL
  elif ! cmp -s "$work/$l/chaos.bin" "$work/seed/chaos.bin"; then
    echo "bench: $l has a copy that differs from the original" >&2
    result=FAIL
  fi
done
finished=$(elapsed)
kill "$liar_pid" 2>/dev/null || true
wait "$liar_pid" 2>/dev/null || true
liar_pid=
# Per leecher: the run that completed fetched some bytes beyond what it lacked at its start (pieces
# that failed their hash, endgame duplicates); each killed run kept the pieces it had verified,
# which the next run found on disk. Blocks in flight at a kill are lost and not counted.
excess=0
kept=0
killed_runs=0
for l in "${leechers[@]}"; do
  for ((r = 1; r <= runs[$l]; r++)); do
    log="$work/$l.$r.log"
    on_disk=$(grep -oP 'chaos\.bin: \K\d+(?= of \d+ pieces on disk)' "$log" | head -1 || true)
    fetched=$(grep -oP 'download complete, \K\d+' "$log" | head -1 || true)
    if [ -n "$fetched" ]; then
      excess=$((excess + fetched - (size - ${on_disk:-0} * 262144)))
    elif ((r < runs[$l])) && [ "${on_disk:-0}" -lt "$((size / 262144))" ]; then
      killed_runs=$((killed_runs + 1))
      next=$(grep -oP 'chaos\.bin: \K\d+(?= of \d+ pieces on disk)' "$work/$l.$((r + 1)).log" | head -1 || true)
      kept=$((kept + ${next:-0} - ${on_disk:-0}))
    fi
  done
done
hash_failures=$(cat "$work"/leech*.log | grep -c 'failed its hash check' || true)
bans=$(cat "$work"/leech*.log | grep -c 'banned .* keeps failing hash checks' || true)
liar=$(grep -oP '"connections": \d+, "blocks": \d+' "$work/liar.log" | tail -1 || true)

echo
printf 'faults injected: %d (tracker %d, seeders %d, leechers %d)\n' "$faults" "${faults_by[tracker]:-0}" \
  "${faults_by[seed]:-0}" "${faults_by[leech]:-0}"
printf 'lying peer: %s; pieces that failed their hash: %d (%d bytes fetched again); bans of the liar: %d\n' \
  "${liar:-no report}" "$hash_failures" "$((hash_failures * 262144))" "$bans"
printf 'completed runs fetched %d bytes beyond what they lacked (hash failures, endgame duplicates)\n' "$excess"
printf 'leecher runs killed before completing: %d; pieces they verified that the next run found on disk: %d\n' \
  "$killed_runs" "$kept"
printf 'result: %s, %d of 8 leechers byte-identical, all done %.1f s after the chaos began\n' "$result" \
  "$(for l in "${leechers[@]}"; do cmp -s "$work/$l/chaos.bin" "$work/seed/chaos.bin" && echo ok; done | grep -c ok || true)" \
  "$finished"
[ "$result" = PASS ]
