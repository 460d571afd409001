#!/usr/bin/env bash
# Profiles `adoperm plan` of the 10,000-repository organization (P1's org) with valgrind's callgrind: instruction
# counts are repeatable, so before/after figures of a fix compare exactly. The emulator runs outside valgrind at
# 0 ms latency (profiling it is not the point). Release build with debug info (-g), the scratch path bench/run.py
# uses, so one build serves both.
#
#   bench/profile.sh [--no-build] [OUT_DIR]      (OUT_DIR default bench/out/profile)
#
# Prints the total instruction count (Ir) and the top functions by inclusive count; the raw profile is
# OUT_DIR/callgrind.out (open it with callgrind_annotate or kcachegrind).
#
# Two workarounds for valgrind 3.19 (Debian bookworm) with Swift 6.3 binaries, neither changing what adoperm does:
# - it cannot read the toolchain's DWARF 5, so it profiles a copy with the debug sections stripped (the symbol
#   table stays: counts are per function);
# - it crashes in libdispatch's dispatch_main() (Swift's async main), so bench/dispatch_main_shim.c is preloaded:
#   it drains the main queue from the main thread instead.
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
if [[ "${1:-}" == "--no-build" ]]; then build=0; shift; fi
out="${1:-bench/out/profile}"
bin=.build-release/release
mkdir -p "$out"

if ((build)); then
    for product in adoperm ado-emulator; do
        swift build -c release -Xswiftc -g --scratch-path .build-release --product "$product" >/dev/null
    done
fi

if [[ ! -f "$out/org.json" ]]; then
    "$bin/ado-emulator" generate --projects 200 --repos-per-project 50 --pipelines 2000 --requirements 10000 \
        --seed 1 -o "$out/org.json" --manifest-out "$out/org.yaml" >/dev/null
fi

strip --strip-debug -o "$out/adoperm" "$bin/adoperm"
clang -O2 -shared -fPIC bench/dispatch_main_shim.c -o "$out/dispatch_main_shim.so"

url_file="$out/emulator.url"
"$bin/ado-emulator" serve "$out/org.json" --port 0 --parent-pid $$ >"$url_file" &
emulator=$!
trap 'kill "$emulator" 2>/dev/null || true; wait "$emulator" 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do
    [[ -s "$url_file" ]] && break
    sleep 0.1
done
url="$(head -n 1 "$url_file")"

ADOPERM_PAT=fake-pat-admin SOURCE_DATE_EPOCH=0 LD_PRELOAD="$(realpath "$out/dispatch_main_shim.so")" \
    valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" \
    "$out/adoperm" plan -m "$out/org.yaml" --org "$url" --timeout 600 -o "$out/plan.json" --format json \
    >/dev/null 2>"$out/valgrind.log"

grep -E "Collected" "$out/valgrind.log" || true
callgrind_annotate --inclusive=yes "$out/callgrind.out" 2>/dev/null | head -n 70 | swift demangle --simplified \
    | cut -c1-200
