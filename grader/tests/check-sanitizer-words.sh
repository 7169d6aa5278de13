#!/usr/bin/env bash
# The learner reads the same words whichever tool finds the bug: four
# planted bugs (a heap overflow, a use after free, a leak, a signed
# overflow) are graded with --fast (AddressSanitizer, LeakSanitizer,
# UndefinedBehaviorSanitizer) and under Valgrind (whose lesson-05 pass runs
# the sanitizers too). For each, the first error's explanation must be the
# same text in both gradings, and the --fast report's first failure must fit
# in 15 lines.
# Usage: check-sanitizer-words.sh OUT_DIR
set -euo pipefail
out=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$out" && mkdir -p "$out"
failed=0

# make_case NAME LESSON EXERCISE: a submission of the lesson's solutions with
# one bug planted in EXERCISE (stdin: a python3 edit of the file's text).
make_case() {
    local dir=$out/$1/sub
    mkdir -p "$dir"
    cp -r "$root/solutions/$2" "$dir/"
    python3 -c 'import sys
p = sys.argv[1]; old, new = sys.stdin.read().split("\n=>\n")
text = open(p).read(); assert old in text, "the bug no longer applies: " + p
open(p, "w").write(text.replace(old, new))' "$dir/$2/$3.c"
}

# first_error JSON TEST: the first "Memory error 1:" or "Error 1:" block of
# TEST's output, up to the next block.
first_error() {
    jq -r --arg t "$2" '.tests[] | select(.name | endswith("/" + $t)) | .output' "$1" |
        awk '/^(Memory error|Error) 1:$/ {on = 1; next}
             on && /^(Memory error|Error) [0-9]+:$|^Output of the test|^\.\.\.and / {exit}
             on {print}'
}

# check NAME LESSON EXERCISE TEST: grades the case both ways and compares.
check() {
    local name=$1 lesson=$2 exercise=$3 test=$4 dir=$out/$1
    "$root/grader/grade" --fast --submission "$dir/sub" --lesson "$lesson" --exercise "$exercise" \
        --jobs 1 --json "$dir/fast.json" >"$dir/fast.txt" 2>"$dir/fast.err" || true
    "$root/grader/grade" --submission "$dir/sub" --lesson "$lesson" --exercise "$exercise" \
        --jobs 1 --json "$dir/valgrind.json" >"$dir/valgrind.txt" 2>"$dir/valgrind.err" || true
    first_error "$dir/fast.json" "$test" >"$dir/fast.words"
    first_error "$dir/valgrind.json" "$test" >"$dir/valgrind.words"
    # The first failure as the learner reads it: from its FAIL line to the
    # next test's line.
    awk '/^  FAIL / {if (on) exit; on = 1} on && /^  PASS / {exit} on {print}' \
        "$dir/fast.txt" >"$dir/first-failure.txt"
    local lines
    lines=$(wc -l <"$dir/first-failure.txt")
    if [ ! -s "$dir/fast.words" ]; then
        echo "FAIL $name: --fast explains no error"; sed 's/^/     | /' "$dir/first-failure.txt"
        failed=$((failed + 1))
    elif ! cmp -s "$dir/fast.words" "$dir/valgrind.words"; then
        echo "FAIL $name: the words differ (--fast, then Valgrind)"
        diff "$dir/fast.words" "$dir/valgrind.words" | sed 's/^/     | /' || true
        failed=$((failed + 1))
    elif [ "$lines" -gt 15 ]; then
        echo "FAIL $name: the first failure takes $lines lines"
        failed=$((failed + 1))
    else
        echo "ok   $name: the same $(wc -l <"$dir/fast.words") lines both ways; first failure $lines lines"
    fi
}

make_case heap-overflow 02-heap strstack <<'EOF'
    char *joined = malloc(s->chars + 1);
=>
    char *joined = malloc(s->chars);
EOF
make_case use-after-free 02-heap strstack <<'EOF'
    s->top = top->below;
    s->len--;
    s->chars -= strlen(text);
    free(top);
=>
    s->len--;
    s->chars -= strlen(text);
    free(s->top);
    s->top = s->top->below;
EOF
make_case leak 02-heap vector <<'EOF'
        free(v->items);
        free(v);
=>
        free(v);
EOF
make_case signed-overflow 05-overflow checked_math <<'EOF'
    if (b > 0 ? a > INT_MAX - b : a < INT_MIN - b)
        return -EOVERFLOW;
    *result = a + b;
=>
    int sum = a + b;
    if (b > 0 ? sum < a : sum > a)
        return -EOVERFLOW;
    *result = sum;
EOF
check heap-overflow 02-heap strstack join_concatenates_top_down
check use-after-free 02-heap strstack pop_returns_strings_last_first
check leak 02-heap vector push_appends_in_order
check signed-overflow 05-overflow checked_math int_add_reports_overflow_both_ways
[ "$failed" -eq 0 ] && echo "sanitizer words: the same as Valgrind's for 4 bugs" || exit 1
