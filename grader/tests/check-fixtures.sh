#!/usr/bin/env bash
# The grader's own tests: it grades fixture submissions of a tiny course
# (grader/tests/course, one exercise worth 4 points) and each must get its
# exact score, with the explanation it must show.
# Usage: check-fixtures.sh OUT_DIR JOBS
set -euo pipefail
out=$1 jobs=${2:-2}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
grade=$root/build/grader/grade
course=$here/course
rm -rf "$out" && mkdir -p "$out"

# fixture | expected score of 4 | text the explanations must contain
expectations=$(cat <<'TABLE'
honest|4|
leaking|3|16 bytes
uninitialised|3.5|initialised
overflowing|3|past the end
crashing|2|segmentation fault
hanging|3|timed out
exit0|1|exit(0)
underscore_exit|1|_exit(0)
forging|1|values[1] is wrong
not_compiling|0|did not build
missing_function|0|linking
constructor|0|constructor
client_request|0|inline assembly
defines_main|0|main
own_test|0|Criterion
kills_runner|3|was killed
fork_bomb|3|counting/sums
output_flood|3|SIGXFSZ
memory_bomb|3|counting/sums
missing_file|0|missing
TABLE
)

grade_fixture() { # name expected text
    local name=$1 want=$2 text=$3 json=$out/$1.json
    "$grade" --course "$course" --submission "$here/fixtures/$name" --jobs 1 \
        --json "$json" >"$out/$name.txt" 2>"$out/$name.err" || true
    local got
    got=$(jq -r '.score' "$json" 2>/dev/null || echo "no results.json")
    if [ "$got" != "$want" ] && [ "$got" != "$want.0" ]; then
        echo "FAIL $name: score $got, expected $want"; return
    fi
    if [ -n "$text" ] && ! jq -r '.output, .tests[].name, .tests[].output' "$json" | grep -qF -- "$text"; then
        echo "FAIL $name: no explanation containing '$text'"; return
    fi
    echo "ok   $name: $got/4"
}
export -f grade_fixture
export out here grade course

echo "$expectations" | xargs -P "$jobs" -d '\n' -I{} bash -c \
    'IFS="|" read -r n w t <<<"$1"; grade_fixture "$n" "$w" "$t"' _ {} | sort | tee "$out/summary.txt"

# Graded twice, the same scores.
"$grade" --course "$course" --submission "$here/fixtures/leaking" --jobs 1 --json "$out/again.json" >/dev/null 2>&1 || true
if jq -S '[.score, [.tests[] | .score]]' "$out/leaking.json" | cmp -s - <(jq -S '[.score, [.tests[] | .score]]' "$out/again.json"); then
    echo "ok   graded twice: same scores" | tee -a "$out/summary.txt"
else
    echo "FAIL graded twice: scores differ" | tee -a "$out/summary.txt"
fi

# A lesson that does not exist: exit status 2, and still a results.json.
status=0
"$grade" --course "$course" --lesson 42 --json "$out/missing_lesson.json" >/dev/null 2>&1 || status=$?
if [ "$status" = 2 ] && jq -e '.score == 0 and (.output | test("no lesson .42."))' "$out/missing_lesson.json" >/dev/null; then
    echo "ok   missing lesson: exit 2, results.json explains" | tee -a "$out/summary.txt"
else
    echo "FAIL missing lesson: status $status" | tee -a "$out/summary.txt"
fi

# --fast (AddressSanitizer, no Valgrind) catches the same kinds of bug.
for case in honest:4 leaking:3 overflowing:2; do
    name=${case%%:*} want=${case#*:}
    "$grade" --fast --course "$course" --submission "$here/fixtures/$name" --jobs 1 \
        --json "$out/fast-$name.json" >/dev/null 2>&1 || true
    got=$(jq -r '.score' "$out/fast-$name.json" 2>/dev/null || echo none)
    if [ "$got" = "$want" ] || [ "$got" = "$want.0" ]; then
        echo "ok   --fast $name: $got/4" | tee -a "$out/summary.txt"
    else
        echo "FAIL --fast $name: score $got, expected $want" | tee -a "$out/summary.txt"
    fi
done

# Exit status: 0 for full marks, 1 otherwise.
"$grade" --course "$course" --submission "$here/fixtures/honest" --jobs 1 >/dev/null 2>&1 \
    && echo "ok   exit status 0 for full marks" | tee -a "$out/summary.txt" \
    || echo "FAIL exit status for full marks" | tee -a "$out/summary.txt"

failed=$(grep -c '^FAIL' "$out/summary.txt" || true)
echo "grader fixtures: $(grep -c '^ok' "$out/summary.txt") passed, $failed failed"
[ "$failed" -eq 0 ]
