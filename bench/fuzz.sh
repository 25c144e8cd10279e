#!/usr/bin/env bash
# Coverage-guided fuzzing of the decoders with Jazzer: each @FuzzTest of CoverageGuidedFuzzTest
# (bencode, metainfo, peerWire, udpTracker, httpTracker, magnet) in turn, for DURATION each.
# A finding fails its test; Jazzer saves the input under
# messages/src/test/resources/io/swarmshare/messages/CoverageGuidedFuzzTestInputs/TEST/, where
# every build replays it once committed. The corpus it grows stays in messages/.cifuzz-corpus/.
#   bench/fuzz.sh [DURATION (default 10m; 30s, 2h ...)] [TEST ...]
set -euo pipefail

duration="${1:-10m}"
shift || true
tests=("$@")
if [ ${#tests[@]} -eq 0 ]; then
  tests=(bencode metainfo peerWire udpTracker httpTracker magnet)
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
failed=()
for test in "${tests[@]}"; do
  echo "fuzzing $test for $duration"
  if ! JAZZER_FUZZ=1 mvn -B -q -pl messages test -Dtest="CoverageGuidedFuzzTest#$test" \
      -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.max_duration="$duration" >"messages/target/fuzz-$test.log" 2>&1; then
    failed+=("$test")
    echo "  FINDING or failure: see messages/target/fuzz-$test.log"
  fi
  grep -E '^(Done|#[0-9]+ +DONE)' "messages/target/fuzz-$test.log" | tail -2 | sed 's/^/  /' || true
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} of ${#tests[@]} failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: ${#tests[@]} decoders fuzzed for $duration each, no finding"
