#!/usr/bin/env bash
# Line coverage of the codec (codec/src) by the committed fuzz corpora, per
# target and merged: replays fuzz/corpus/<target>/ through the target bodies
# (tests/fuzz_corpus.rs) built with `-C instrument-coverage`, then
# `llvm-profdata merge` and `llvm-cov report` over codec/src only.
#
# Needs llvm-profdata/llvm-cov matching the compiler: the toolchain's
# llvm-tools (`rustup component add llvm-tools-preview [--toolchain nightly]`).
# Env: NLWIRE_COV_TOOLCHAIN (default: nightly if present, else stable),
#      NLWIRE_COV_DIR (scratch, default /tmp/nlwire-fuzz-cov).
# Prints one line per target and the merged total.
set -euo pipefail
cd "$(dirname "$0")/.."
tc=${NLWIRE_COV_TOOLCHAIN:-}
if [ -z "$tc" ]; then
    if cargo +nightly --version >/dev/null 2>&1; then tc=nightly; else tc=stable; fi
fi
sysroot=$(rustc +"$tc" --print sysroot)
bin=$(ls -d "$sysroot"/lib/rustlib/*/bin | head -1)
[ -x "$bin/llvm-cov" ] || { echo "no llvm-cov in $bin: rustup component add llvm-tools-preview --toolchain $tc"; exit 1; }
dir=${NLWIRE_COV_DIR:-/tmp/nlwire-fuzz-cov}
mkdir -p "$dir"
export CARGO_TARGET_DIR="$dir/target"
RUSTFLAGS="-C instrument-coverage" LLVM_PROFILE_FILE="$dir/build-%p.profraw" \
    cargo +"$tc" test -p nlwire-cli --test fuzz_corpus --no-run 2>&1 | tail -1
exe=$(ls -t "$dir"/target/debug/deps/fuzz_corpus-* | grep -v '\.d$' | head -1)
targets=$(sed -n 's/^name = "\(.*\)"$/\1/p' fuzz/Cargo.toml | grep -v '^nlwire-fuzz$')
srcs=$(find codec/src -name '*.rs' | sort)
rm -f "$dir"/*.profraw "$dir"/*.profdata
for t in $targets; do
    LLVM_PROFILE_FILE="$dir/$t.profraw" "$exe" --exact "$t" -q >/dev/null
    "$bin/llvm-profdata" merge -sparse "$dir/$t.profraw" -o "$dir/$t.profdata"
    # shellcheck disable=SC2086
    line=$("$bin/llvm-cov" report "$exe" -instr-profile="$dir/$t.profdata" $srcs | tail -1)
    printf '%-16s %s\n' "$t" "$(echo "$line" | awk '{print $8-$9 " / " $8 " (" $10 ")"}')"
done
"$bin/llvm-profdata" merge -sparse "$dir"/*.profraw -o "$dir/all.profdata"
# shellcheck disable=SC2086
"$bin/llvm-cov" report "$exe" -instr-profile="$dir/all.profdata" $srcs > "$dir/report.txt"
printf '%-16s %s\n' "all" "$(tail -1 "$dir/report.txt" | awk '{print $8-$9 " / " $8 " (" $10 ")"}')"
echo "per-file report: $dir/report.txt; uncovered lines: $bin/llvm-cov show $exe -instr-profile=$dir/all.profdata codec/src/FILE"
