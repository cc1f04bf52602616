#!/usr/bin/env bash
# Bounded fuzzing of every nlwire fuzz target (fuzz/fuzz_targets/*.rs).
#
# Mode:
#   * nightly available  -> `cargo +nightly fuzz run` with AddressSanitizer;
#   * otherwise          -> `cargo fuzz run -s none` on stable (libFuzzer's
#                           coverage guidance without a sanitizer).
# cargo-fuzz is installed with `cargo install cargo-fuzz --locked` if missing.
#
# Each target starts from its committed corpus (fuzz/corpus/<target>/) and
# writes what it finds to a scratch folder, so a CI run never changes the
# tree. Any crash, timeout (> 10 s for one input), leak or out-of-memory fails
# the script; the reproducer is left in fuzz/artifacts/<target>/.
#
# Environment:
#   NLWIRE_FUZZ_BUDGET  total seconds of fuzzing for all targets (default 540)
#   NLWIRE_FUZZ_SECS    seconds per target (default: budget / targets, 20..60)
#   NLWIRE_FUZZ_MODE    force "asan" or "none"
#   NLWIRE_FUZZ_KEEP=1  write new inputs into fuzz/corpus/<target>/ (for long
#                       runs whose findings are to be minimized and committed)
#   NLWIRE_FUZZ_LOGS    folder to keep each target's libFuzzer log in
#   NLWIRE_FUZZ_TARGETS space-separated subset of targets to run
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

targets=()
if [ -n "${NLWIRE_FUZZ_TARGETS:-}" ]; then
    read -r -a targets <<<"$NLWIRE_FUZZ_TARGETS"
else
    for f in fuzz_targets/*.rs; do
        targets+=("$(basename "$f" .rs)")
    done
fi
n=${#targets[@]}
budget=${NLWIRE_FUZZ_BUDGET:-540}
secs=${NLWIRE_FUZZ_SECS:-$(( budget / n ))}
[ -n "${NLWIRE_FUZZ_SECS:-}" ] || { [ "$secs" -gt 60 ] && secs=60; [ "$secs" -lt 20 ] && secs=20; }

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "fuzz.sh: installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

mode=${NLWIRE_FUZZ_MODE:-}
if [ -z "$mode" ]; then
    if cargo +nightly --version >/dev/null 2>&1; then mode=asan; else mode=none; fi
fi
if [ "$mode" = asan ]; then
    run=(cargo +nightly fuzz)
    san=(-s address)
    echo "fuzz.sh: MODE nightly + AddressSanitizer ($(cargo +nightly --version))"
else
    run=(cargo fuzz)
    san=(-s none)
    echo "fuzz.sh: MODE stable, no sanitizer (-s none) ($(cargo --version))"
fi
echo "fuzz.sh: ${n} targets x ${secs}s: ${targets[*]}"

t0=$(date +%s)
"${run[@]}" build "${san[@]}"
echo "fuzz.sh: build took $(( $(date +%s) - t0 ))s"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=()
for t in "${targets[@]}"; do
    mkdir -p "$scratch/$t"
    dirs=("$scratch/$t" "corpus/$t")
    if [ "${NLWIRE_FUZZ_KEEP:-}" = 1 ]; then dirs=("corpus/$t"); fi
    echo
    echo "=== fuzz $t (${secs}s, corpus $(ls "corpus/$t" 2>/dev/null | wc -l) files)"
    if "${run[@]}" run "${san[@]}" "$t" "${dirs[@]}" -- \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=256 \
        -max_len=4096 -print_final_stats=1 >"$scratch/$t.log" 2>&1; then
        grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$scratch/$t.log" || true
        grep -E '#[0-9]+[[:space:]]+DONE' "$scratch/$t.log" | tail -1 || true
        if [ -n "${NLWIRE_FUZZ_LOGS:-}" ]; then
            mkdir -p "$NLWIRE_FUZZ_LOGS"
            cp "$scratch/$t.log" "$NLWIRE_FUZZ_LOGS/$t.log"
        fi
    else
        tail -60 "$scratch/$t.log"
        echo "fuzz.sh: FAILED: $t (reproduce: cd fuzz && ${run[*]} run ${san[*]} $t artifacts/$t/<file>)"
        failed+=("$t")
    fi
done
echo
echo "fuzz.sh: mode=$mode, ${n} targets, $(( $(date +%s) - t0 ))s in all"
if [ ${#failed[@]} -ne 0 ]; then
    echo "fuzz.sh: crashes in: ${failed[*]}"
    exit 1
fi
echo "fuzz.sh: no crash"
