#!/bin/sh
# Command-line comparisons for BENCHMARKS.md (issue 12), in one run:
#
#   * `nlwire decode` (text, --json, --summary) vs `tshark -V` and
#     `tshark -T json` on benches/data/sockets.pcap (about 4 000 TCP and
#     4 000 unix sockets, recorded by examples/hold_sockets.rs);
#   * `nlwire ss -tani`, `-xa`, `-tani --json` vs iproute2 `ss -tani`, `-xa`
#     with about 4 000 TCP and 4 000 unix sockets that this script opens and
#     holds (examples/hold_sockets.rs `hold`), in a network namespace of its
#     own when run as root (so only those sockets are listed).
#
# Uses hyperfine when present (`apt-get install -y hyperfine`; the figures
# in BENCHMARKS.md are its medians), else a loop timed with `date +%s%N`
# (median of RUNS; the `date` forks add about a millisecond to every
# command, so the ratios of the short `ss` runs come out nearer 1).
# Run from the repository root:
#
#   sh benches/cli.sh            # builds the release binaries first
#   RUNS=20 sh benches/cli.sh
#   NLWIRE=/tmp/nlwire-old TSHARK=0 sh benches/cli.sh   # another build, no tshark
#
# The `ss` part needs root or at least sock_diag access (any user can dump
# their own namespace's sockets) and iproute2; the tshark part needs tshark.
# Missing tools are skipped with a message.
set -eu

RUNS=${RUNS:-10}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CAP=$ROOT/benches/data/sockets.pcap
NLWIRE=${NLWIRE:-$ROOT/target/release/nlwire}
HOLD=$ROOT/target/release/examples/hold_sockets

if [ -z "${NLWIRE_BENCH_BUILT:-}" ]; then
    (cd "$ROOT" && cargo build --release --quiet --bin nlwire --example hold_sockets)
fi

# A network namespace of our own, when we can make one.
if [ -z "${NLWIRE_BENCH_NS:-}" ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
    exec unshare -n env NLWIRE_BENCH_NS=1 NLWIRE_BENCH_BUILT=1 sh "$0" "$@"
fi
if [ -n "${NLWIRE_BENCH_NS:-}" ]; then
    ip link set lo up
fi

echo "# machine: $(nproc) cores, kernel $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "# capture: $CAP ($(wc -c <"$CAP") bytes)"

# bench NAME COMMAND: median wall time in ms.
bench() {
    name=$1
    shift
    if command -v hyperfine >/dev/null; then
        hyperfine -N --warmup 2 --runs "$RUNS" --style none --export-json /tmp/nlwire-bench.json \
            "$*" >/dev/null 2>&1 || {
            echo "$name: failed"
            return
        }
        ms=$(sed -n 's/.*"median": *\([0-9.e-]*\).*/\1/p' /tmp/nlwire-bench.json | head -1 |
            awk '{ printf "%.1f", $1 * 1000 }')
    else
        times=""
        i=0
        while [ $i -lt "$RUNS" ]; do
            t0=$(date +%s%N)
            # Run directly, split on spaces as hyperfine -N does: a
            # `sh -c` around it would add a shell's start-up (about a
            # millisecond) to both sides of every ratio.
            $* >/dev/null 2>&1 || true
            t1=$(date +%s%N)
            times="$times $(((t1 - t0) / 1000))"
            i=$((i + 1))
        done
        ms=$(echo "$times" | tr ' ' '\n' | sed '/^$/d' | sort -n |
            awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] / 1000 }')
    fi
    printf '%-40s %10s ms\n' "$name" "$ms"
}

echo
echo "## decode ($CAP)"
bench "nlwire decode (text)" "$NLWIRE decode $CAP"
bench "nlwire decode --json" "$NLWIRE decode $CAP --json"
bench "nlwire decode --summary" "$NLWIRE decode $CAP --summary"
if [ "${TSHARK:-1}" != 0 ] && command -v tshark >/dev/null; then
    bench "tshark -V" "tshark -r $CAP -V"
    bench "tshark -T json" "tshark -r $CAP -T json"
else
    echo "tshark: not installed (or TSHARK=0), skipped"
fi
printf '%-40s %10s bytes\n' "output size, text" "$($NLWIRE decode "$CAP" | wc -c)"
printf '%-40s %10s bytes\n' "output size, --json" "$($NLWIRE decode "$CAP" --json | wc -c)"
# "the bytes written": the cost of passing the text output through a pipe,
# as `cat` of a file holding it (target: text <= 1.3 x (summary + this)).
TEXT_OUT=$(mktemp /tmp/nlwire-bench-text-XXXXXX)
"$NLWIRE" decode "$CAP" >"$TEXT_OUT"
bench "cat of the text output" "cat $TEXT_OUT"
rm -f "$TEXT_OUT"
# Peak memory of each mode (GNU time's %M, KiB).
if [ -x /usr/bin/time ]; then
    for mode in "" --json --summary; do
        kb=$(/usr/bin/time -f %M "$NLWIRE" decode "$CAP" $mode 2>&1 >/dev/null | tail -1)
        printf '%-40s %10s KiB\n' "peak RSS, nlwire decode ${mode:-(text)}" "$kb"
    done
fi

echo
echo "## ss (sockets held by hold_sockets)"
if ! command -v ss >/dev/null; then
    echo "ss: iproute2 not installed, skipped"
    exit 0
fi
FIFO=$(mktemp -u /tmp/nlwire-bench-XXXXXX)
mkfifo "$FIFO"
# hold_sockets holds until its stdin (the fifo) closes.
"$HOLD" hold <"$FIFO" >"$FIFO.out" &
HOLD_PID=$!
exec 9>"$FIFO"
trap 'exec 9>&-; wait $HOLD_PID 2>/dev/null; rm -f "$FIFO" "$FIFO.out"' EXIT
while ! grep -q ready "$FIFO.out" 2>/dev/null; do
    if ! kill -0 $HOLD_PID 2>/dev/null; then
        echo "hold_sockets failed"
        exit 1
    fi
    sleep 0.1
done
printf '%-40s %10s lines\n' "ss -tani output" "$(ss -tani | wc -l)"
printf '%-40s %10s lines\n' "nlwire ss -tani output" "$($NLWIRE ss -tani | wc -l)"
printf '%-40s %10s lines\n' "ss -xa output" "$(ss -xa | wc -l)"
printf '%-40s %10s lines\n' "nlwire ss -xa output" "$($NLWIRE ss -xa | wc -l)"
bench "ss -tani" "ss -tani"
bench "nlwire ss -tani" "$NLWIRE ss -tani"
bench "nlwire ss -tani --json" "$NLWIRE ss -tani --json"
bench "ss -xa" "ss -xa"
bench "nlwire ss -xa" "$NLWIRE ss -xa"
bench "nlwire ss -xa --json" "$NLWIRE ss -xa --json"
