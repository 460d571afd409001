#!/usr/bin/env bash
# Crash safety, every kill point (README "Reliability"): a 20-change apply is SIGKILLed after each of its 82
# journal-record boundaries (begin, intent/written/applied/verified × 20, end); after each, `adoperm rollback` must
# restore the emulator's state byte for byte and a fresh apply must end where an uninterrupted one ends.
# The suite runs 11 of the points; this runs all of them. Needs a debug build with tests (`swift build --build-tests`).
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
ADOPERM_CRASH_POINTS=all swift test --skip-build --filter 'CrashSafetyTests/sigkillThenRollbackRestoresTheStateExactly' \
    >"$log" 2>&1 || status=$?
total=$(grep -c 'Test case passing argument point' "$log" || true)
failed=$(grep -E '^✘ Test sigkillThenRollback.*recorded an issue' "$log" | grep -oE 'point → "[^"]+"' | sort -u | wc -l || true)
if [ "$total" -eq 0 ]; then
    # Older toolchains do not print one line per argument: count from the summary line.
    total=$(grep -oE 'with [0-9]+ test cases' "$log" | head -1 | grep -oE '[0-9]+' || echo 0)
fi
grep -E '✘|↳ .*point' "$log" | head -40 || true
echo "crash loop: $((total - failed))/$total kill points restored (and resumed to the uninterrupted final state)"
exit "$status"
