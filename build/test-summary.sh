#!/usr/bin/env bash
# Adds up what the test runners printed into one closing line "tests: N passed, N failed, N skipped", and fails
# when any test failed or none ran. It reads the per-project lines of `dotnet test`
# ("Passed!  - Failed: 0, Passed: 12, Skipped: 1, ...") and the live tier's "fabric tier: N passed, N failed, N skipped".
set -euo pipefail
log="$1"
read -r passed failed skipped < <(
  { grep -E "(Passed|Failed|Skipped)! +- +Failed: " "$log" |
      sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' || true
    grep -E "^fabric tier: [0-9]+ passed" "$log" |
      sed -E 's/^fabric tier: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped.*/\1 \2 \3/' || true
  } | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
echo
if [ "$failed" -gt 0 ]; then
  # Each failed test with the first line of its message: CI keeps only the tail of a long log.
  echo "failed tests:"
  awk '/^ +Failed .* \[[^]]*\]$/ {sub(/^ +Failed /, "  "); print; want=1; next}
       want && /Error Message:/ {getline; sub(/^ +/, "    "); print; want=0}' "$log"
fi
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
