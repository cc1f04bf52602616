#!/usr/bin/env bash
# Run the codec's fast tests under Miri (undefined behaviour, out-of-bounds
# and arithmetic-overflow checks on the interpreter), when a nightly toolchain
# with Miri is available. Without one it prints a notice and exits 0.
#
# Only tests that finish quickly under the interpreter are run: the framing
# unit tests and the adversarial tests (codec/tests/framing.rs,
# codec/tests/adversarial.rs). Property tests, fuzz-corpus replay and the
# allocation test are left to the native run (`cargo test`), which is
# thousands of times faster.
set -uo pipefail
cd "$(dirname "$0")/.."

tests=(framing adversarial)

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "miri.sh: NOTICE: no nightly toolchain (cargo +nightly); Miri not run."
    exit 0
fi
if ! cargo +nightly miri --version >/dev/null 2>&1; then
    echo "miri.sh: Miri is not installed for nightly; trying: rustup component add miri rust-src --toolchain nightly"
    if ! timeout 300 rustup component add miri rust-src --toolchain nightly; then
        echo "miri.sh: NOTICE: Miri could not be installed; Miri not run."
        exit 0
    fi
fi
if ! timeout 600 cargo +nightly miri setup; then
    echo "miri.sh: NOTICE: 'cargo +nightly miri setup' failed (it builds a sysroot and may need crates.io); Miri not run."
    exit 0
fi

echo "miri.sh: $(cargo +nightly miri --version)"
args=()
for t in "${tests[@]}"; do
    if [ -f "codec/tests/$t.rs" ]; then
        args+=(--test "$t")
    else
        echo "miri.sh: codec/tests/$t.rs not found, skipped"
    fi
done
# Any Miri error (UB, overflow, out-of-bounds) or test failure fails the script.
set -e
MIRIFLAGS="${MIRIFLAGS:-}" cargo +nightly miri test -p nlwire "${args[@]}"
echo "miri.sh: OK (${args[*]})"
