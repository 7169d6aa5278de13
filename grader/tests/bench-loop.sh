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

# 2. Save to verdict, through the watch loop.
(cd "$root" && exec setsid env -u CI LEARN_PROGRESS="$out/progress.json" LEARN_STATE="$out/state" \
    timeout 600 grader/learn watch --exercise "$ex" --submission "$out/sub/exercises") \
    >"$out/watch.out" 2>"$out/watch.err" </dev/null &
watch_pid=$!
trap 'kill -TERM -- "-$watch_pid" 2>/dev/null' EXIT
verdicts() { grep -c '^watch: checked\|watch: checked' "$out/watch.out" 2>/dev/null; }
wait_verdicts() { # count, seconds
    local deadline
    deadline=$(echo "$(now) + $2" | bc)
    while [ "$(verdicts)" -lt "$1" ]; do
        [ "$(echo "$(now) > $deadline" | bc)" = 1 ] && return 1
        sleep 0.01
    done
}
wait_verdicts 1 120 || { echo "bench-loop: watch did not start"; cat "$out/watch.err"; exit 1; }
sleep 0.5
for ((i = 1; i <= runs; i++)); do
    { cat "$stub"; echo "/* save $i */"; } >"$file.tmp"
    t0=$(now)
    mv "$file.tmp" "$file"
    wait_verdicts $((i + 1)) 120 || { echo "bench-loop: no verdict after save $i"; break; }
    echo "$(now) - $t0" | bc
    sleep 0.3
done | stats "save to verdict (make watch)" | tee -a "$out/results.txt"
grep -o 'checked [a-z_]* in [0-9.]* s' "$out/watch.out" | tail -n +2 | awk '{ print $4 }' \
    | stats "  of which grading (inside watch)" | tee -a "$out/results.txt"
