#!/usr/bin/env bash
# Records the heap calls of a command as a malloc-lab trace.
#
#   record.sh TRACER.so OUT.rep MAX_OPS COMMAND [ARG...]
#
# Runs COMMAND with alloc_tracer.c preloaded. Every process it starts
# writes its own list of operations; the busiest one (a compiler driver's
# cc1, not gcc itself) becomes OUT.rep, cut after MAX_OPS operations (0:
# all). A cut trace leaves blocks live; the replay frees them at the end.
set -euo pipefail

if [ $# -lt 4 ]; then
    echo "usage: $0 TRACER.so OUT.rep MAX_OPS COMMAND [ARG...]" >&2
    exit 2
fi
tracer=$(realpath "$1") out=$2 max=$3
shift 3

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
ALLOC_TRACE_DIR=$dir LD_PRELOAD=$tracer "$@" >/dev/null

busiest=$(wc -l "$dir"/*.ops | grep -v ' total$' | sort -n | tail -1 | awk '{print $2}')
[ -n "$busiest" ] || { echo "record: $* made no heap call" >&2; exit 1; }
ops=$dir/cut.ops
if [ "$max" -gt 0 ]; then head -n "$max" "$busiest" > "$ops"; else cp "$busiest" "$ops"; fi

# The header: suggested heap (unused), IDs (new blocks get 0, 1, 2... in
# order, so the count of allocations), operations, weight (unused).
{
    echo 0
    grep -c '^a' "$ops" || true
    wc -l < "$ops"
    echo 1
    cat "$ops"
} > "$out"
echo "record: $out: $(sed -n 3p "$out") operations of process $(basename "$busiest" .ops)" \
     "($(ls "$dir"/*.ops | grep -vc cut.ops) processes traced)"
