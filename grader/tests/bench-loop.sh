#!/usr/bin/env bash
# The learner's loop, timed: from saving a file to seeing its verdict.
#
#   grader/tests/bench-loop.sh OUT_DIR [RUNS]
#
# Works on a copy of the shipped stubs in OUT_DIR (never on exercises/), for
# one lesson-01 exercise (BENCH_EXERCISE, default addr_text), in fast mode:
#   1. the grader alone: `grader/grade --fast --exercise EX`, RUNS times;
#   2. the whole loop: `make watch`'s engine (grader/learn watch) running,
#      a save (a changed comment, so the verdict stays failing and no
#      Valgrind grade follows), timed until the verdict line is printed.
# Prints min, median and max of each, in seconds.
set -uo pipefail

out=${1:?usage: bench-loop.sh OUT_DIR [RUNS]}
runs=${2:-${BENCH_RUNS:-5}}
ex=${BENCH_EXERCISE:-addr_text}
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out" && out=$(cd "$out" && pwd)
rm -rf "$out/sub" "$out/state" "$out/progress.json" && mkdir -p "$out/sub"
(cd "$root" && git archive HEAD exercises) | tar -x -C "$out/sub" \
    || { echo "bench-loop: cannot copy the stubs"; exit 2; }
lesson=$("$root/grader/grade" --describe --exercise "$ex" | jq -r '.lessons[0].slug') \
    || { echo "bench-loop: no exercise $ex"; exit 2; }
file=$out/sub/exercises/$lesson/$ex.c
stub=$out/stub.c
cp "$file" "$stub"

stats() { # label, then one number a line on stdin
    sort -n | awk -v label="$1" '{ v[NR] = $1 } END {
        if (NR == 0) { printf "%-34s no measurement\n", label; exit }
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%-34s min %.2f s   median %.2f s   max %.2f s   (%d runs)\n", label, v[1], m, v[NR], NR }'
}
now() { date +%s.%N; }

echo "bench-loop: $lesson/$ex, fast mode, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"

# 1. The grader alone.
for ((i = 0; i < runs; i++)); do
    t0=$(now)
    "$root/grader/grade" --fast --submission "$out/sub/exercises" --exercise "$ex" \
        --json "$out/grade.json" >/dev/null 2>&1
    echo "$(now) - $t0" | bc
done | stats "grader/grade --fast --exercise $ex" | tee "$out/results.txt"

# 2. Save to verdict, through the watch loop. The watch's output comes
# through a pipe that this shell reads blocking, stamping each line with
# bash's own clock: no polling loop, whose forks would take the CPU the
# watch needs (on 2 cores that alone added about 0.4 s a save).
fifo=$out/watch.fifo
rm -f "$fifo" && mkfifo "$fifo" || { echo "bench-loop: cannot create $fifo"; exit 2; }
(cd "$root" && exec setsid env -u CI LEARN_PROGRESS="$out/progress.json" LEARN_STATE="$out/state" \
    timeout 600 grader/learn watch --exercise "$ex" --submission "$out/sub/exercises") \
    >"$fifo" 2>"$out/watch.err" </dev/null &
watch_pid=$!
trap 'kill -TERM -- "-$watch_pid" 2>/dev/null' EXIT
exec 4<"$fifo"
rm -f "$fifo"
: >"$out/watch.out"
next_verdict() { # seconds: reads the watch's output up to its next verdict line
    local line
    while IFS= read -r -t "$1" -u 4 line; do
        printf '%s\n' "$line" >>"$out/watch.out"
        [[ $line == *"watch: checked"* ]] && return 0
    done
    return 1
}
next_verdict 120 || { echo "bench-loop: watch did not start"; cat "$out/watch.err"; exit 1; }
for ((i = 1; i <= runs; i++)); do
    # Drain what the previous verdict printed after its verdict line.
    while IFS= read -r -t 0.5 -u 4 line; do printf '%s\n' "$line" >>"$out/watch.out"; done
    { cat "$stub"; echo "/* save $i */"; } >"$file.tmp"
    t0=$EPOCHREALTIME
    mv "$file.tmp" "$file"
    next_verdict 120 || { echo "bench-loop: no verdict after save $i" >&2; break; }
    t1=$EPOCHREALTIME
    echo "$t1 - $t0" | bc
done | stats "save to verdict (make watch)" | tee -a "$out/results.txt"
grep -o 'checked [a-z_]* in [0-9.]* s' "$out/watch.out" | tail -n +2 | awk '{ print $4 }' \
    | stats "  of which grading (inside watch)" | tee -a "$out/results.txt"
