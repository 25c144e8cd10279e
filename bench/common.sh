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

# median: the median of the numbers on stdin, one per line ("nan" if there are none).
median() {
  sort -g | awk '{a[NR] = $1} END { if (NR == 0) print "nan"; else print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
