#!/usr/bin/env bash
# Sums the per-project lines that `dotnet test` prints ("Passed!  - Failed: 0, Passed: 12, Skipped: 1, ...")
# into one closing line "N passed, N failed, N skipped", and fails when any test failed or none ran.
set -euo pipefail
log="$1"
read -r passed failed skipped < <(grep -E "(Passed|Failed|Skipped)! +- +Failed: " "$log" |
  sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' |
  awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
echo
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
