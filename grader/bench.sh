#!/usr/bin/env bash
# make bench-grader: how fast the grader is, against the naive way.
#
# 1. Grades every lesson's solutions under Valgrind with the grader (wall
#    time, CPU time, peak memory).
# 2. In the same run, builds the same tests with Criterion's own runner and
#    times the naive `valgrind --trace-children=yes --leak-check=full` over
#    each binary, one after the other, as a course without this grader would.
# Prints seconds per test for both and their ratio.
# Usage: bench.sh OUT_DIR
set -euo pipefail
out=$1
root=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$out" && mkdir -p "$out/naive"
cd "$root"

echo "== grader: solutions of every lesson, under Valgrind, --jobs $(nproc)"
/usr/bin/time -f '%e %U %S %M' -o "$out/grader.time" \
    grader/grade --submission solutions --jobs "$(nproc)" --json "$out/grader.json" >/dev/null 2>&1 || true
read -r g_wall g_user g_sys g_rss <"$out/grader.time"
g_tests=$(jq '.tests | length' "$out/grader.json")

echo "== naive: Criterion's runner under valgrind --trace-children=yes --leak-check=full"
n_wall=0 n_tests=0
# The course as the grader reads it: one line an exercise, fields apart by
# the unit separator (a tab would merge empty fields).
while IFS=$'\x1f' read -r lesson ex flags libs support; do
    obj=$out/naive/$lesson-$ex.o bin=$out/naive/$lesson-$ex
    gcc -std=c11 $flags -g -O0 -Iexercises/"$lesson" -c solutions/"$lesson"/"$ex".c -o "$obj"
    objcopy --redefine-syms=grader/harness/learner.syms "$obj"
    gcc -std=gnu11 $flags -g -O0 -Igrader/include -Iexercises/"$lesson" -Iexercises/"$lesson"/support \
        "lessons/$lesson/tests/${ex}_test.c" $support grader/harness/alloc_faults.c \
        grader/harness/exit_guard.c grader/harness/fs_guard.c "$obj" -o "$bin" -lcriterion $libs
    tests=$("$bin" --list | grep -c '├\|└' || true)
    start=$(date +%s.%N)
    # In a scratch folder of its own: lesson 04's tests write files in the current one.
    mkdir -p "$out/naive/run-$lesson-$ex"
    # The binary's absolute path, taken before the cd (OUT_DIR may be relative).
    abs_bin=$(realpath "$bin")
    (cd "$out/naive/run-$lesson-$ex" && valgrind -q --trace-children=yes --leak-check=full \
        "$abs_bin" >/dev/null 2>&1) || true
    end=$(date +%s.%N)
    n_wall=$(echo "$n_wall + $end - $start" | bc)
    n_tests=$((n_tests + tests))
done < <(grader/grade --describe | jq -r '.lessons[] | .slug as $l | (.cflags | join(" ")) as $f
    | (.ldlibs | join(" ")) as $b | (.support | join(" ")) as $s
    | .exercises[] | [$l, .name, $f, $b, $s] | join("\u001f")')

ours=$(echo "scale=3; $g_wall / $g_tests" | bc)
naive=$(echo "scale=3; $n_wall / $n_tests" | bc)
ratio=$(echo "scale=3; $ours / $naive" | bc)
tee "$out/summary.txt" <<REPORT

grader : $g_tests tests in ${g_wall} s wall (${g_user} s user, ${g_sys} s sys), peak RSS ${g_rss} KiB
         $ours s per test
naive  : $n_tests tests in $(printf '%.2f' "$n_wall") s wall
         $naive s per test
ratio  : $ratio (grader / naive, seconds per test; goal <= 0.1)
whole-course grading: ${g_wall} s
REPORT
