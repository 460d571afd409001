#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for a fixed time (docs/fuzzing.md).
#
#   fuzz/run.sh [SECONDS] [TARGET...]      TARGET: manifest plan journal error (default: all four), SECONDS: 300
#
# Environment: FUZZ_JOBS=2 runs two targets at once (default 1); FUZZ_CONFIG=debug builds without -O (default
# release); FUZZ_NO_BUILD=1 reuses the last build. Each target starts from fuzz/corpus/TARGET plus the real
# inputs in fuzz/seeds/TARGET (and examples/contoso/adoperm.yaml for the manifest), then:
#   - fuzz/corpus/TARGET is replaced by the minimized (-merge=1) union of the old corpus and what the run found;
#   - every crash / invariant violation / timeout / out-of-memory input is copied to fuzz/regressions/TARGET/,
#     which the replay tests (swift test) run from then on;
#   - one line per target is printed: executions, exec/s, coverage, corpus, crashes.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
seconds=${1:-300}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(manifest plan journal error)
config=${FUZZ_CONFIG:-release}
jobs=${FUZZ_JOBS:-1}
scratch=$here/.build

declare -A max_len=([manifest]=8192 [plan]=16384 [journal]=8192 [error]=4096)
for target in "${targets[@]}"; do
    [ -n "${max_len[$target]:-}" ] || { echo "unknown target '$target' (manifest, plan, journal, error)" >&2; exit 1; }
done

# A path dependency's package identity is its directory's name. When the checkout itself is called `fuzz` it
# clashes with this package's, so build from a copy of the sources under a neutral name (mtimes kept, so
# rebuilds stay incremental).
package=$here
if [ "$(basename "$root")" = fuzz ]; then
    mirror=$scratch/mirror/adoperm
    mkdir -p "$mirror"
    tar -C "$root" --exclude=.build --exclude='.build-*' --exclude=.git --exclude=.adoperm -cf - . | tar -C "$mirror" -xf -
    package=$mirror/fuzz
fi

if [ -z "${FUZZ_NO_BUILD:-}" ]; then
    # SwiftPM keeps the build plan of a path dependency and misses source files added to it since: re-plan.
    rm -f "$scratch/$config.yaml"
    swift build --package-path "$package" --scratch-path "$scratch" -c "$config" \
        -Xswiftc -sanitize=fuzzer,address
fi
bin=$scratch/$config

# Swift's runtime keeps metadata caches alive until exit; LeakSanitizer reports them as leaks. Swift's own
# crash backtracer would take minutes to symbolicate each crash before libFuzzer could save the input.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} SWIFT_BACKTRACE=enable=no

run_one() {
    local target=$1 work=$scratch/work/$1
    rm -rf "$work"
    mkdir -p "$work/corpus" "$work/artifacts" "$here/corpus/$target" "$here/regressions/$target"
    cp "$here/corpus/$target/." "$work/corpus/" -r 2>/dev/null || true
    cp "$here/seeds/$target/." "$work/corpus/" -r 2>/dev/null || true
    [ "$target" != manifest ] || cp "$root/examples/contoso/adoperm.yaml" "$work/corpus/examples-contoso.yaml"
    local status=0 started=$SECONDS
    "$bin/fuzz-$target" "$work/corpus" -dict="$here/dict/$target.dict" -max_len="${max_len[$target]}" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$work/artifacts/" >"$work/log" 2>&1 || status=$?
    echo $((SECONDS - started)) >"$work/elapsed"
    # Minimize: the smallest set of inputs that adds to the seeds' coverage (the seeds are committed on their
    # own and replayed too, so they are left out of the corpus).
    mkdir -p "$work/merged"
    cp "$here/seeds/$target/." "$work/merged/" -r 2>/dev/null || true
    "$bin/fuzz-$target" -merge=1 -max_len="${max_len[$target]}" "$work/merged" "$here/corpus/$target" \
        "$work/corpus" >"$work/merge.log" 2>&1 || true
    (cd "$here/seeds/$target" && find . -type f -exec rm -f "$work/merged/{}" \;) 2>/dev/null || true
    # Keep the committed corpus small (under 2 MB across targets): inputs over 4 KiB stay out of it.
    find "$work/merged" -type f -size +4k -delete
    if [ -n "$(ls -A "$work/merged")" ]; then
        rm -rf "$here/corpus/$target"
        mv "$work/merged" "$here/corpus/$target"
    fi
    cp "$work/artifacts/"* "$here/regressions/$target/" 2>/dev/null || true
    echo "$status" >"$work/status"
}

pids=()
for target in "${targets[@]}"; do
    run_one "$target" &
    pids+=($!)
    if [ ${#pids[@]} -ge "$jobs" ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
for pid in "${pids[@]}"; do wait "$pid"; done

printf '%-9s %7s %11s %8s %6s %7s %13s %8s\n' target seconds executions exec/s cov ft corpus crashes
for target in "${targets[@]}"; do
    work=$scratch/work/$target
    stat() { sed -n "s/^stat::$1: *//p" "$work/log" | tail -1; }
    last=$(grep -E '^#[0-9]+' "$work/log" | tail -1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    files=$(find "$here/corpus/$target" -type f | wc -l)
    bytes=$(du -sb "$here/corpus/$target" | cut -f1)
    crashes=$(find "$work/artifacts" -type f | wc -l)
    printf '%-9s %7s %11s %8s %6s %7s %13s %8s\n' "$target" "$(cat "$work/elapsed")" \
        "$(stat number_of_executed_units)" "$(stat average_exec_per_sec)" "${cov:-?}" "${ft:-?}" \
        "$files/$((bytes / 1024))KiB" "$crashes"
    if [ "$crashes" -gt 0 ]; then
        grep -E 'invariant violated|ERROR: (libFuzzer|AddressSanitizer)|Fatal error' "$work/log" | head -3 | sed 's/^/    /'
        ls "$work/artifacts" | sed 's|^|    fuzz/regressions/'"$target"'/|'
    fi
done
