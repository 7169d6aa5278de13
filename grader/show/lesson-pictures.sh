#!/usr/bin/env bash
# Re-makes the lessons' pictures drawn by `make show` (make show-pictures):
# each is one test of a lesson's exercise, run on the reference solution
# with one of the lesson's own mutants (the bug the lesson explains), and
# the picture is the step where the problem happens, as an SVG beside the
# lesson's README.
#
# A picture is written only when its step holds the problem it must show,
# so a recorder that changed cannot put a wrong picture in a lesson.
# Usage: lesson-pictures.sh WORK_DIR
set -euo pipefail
work=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$work" && mkdir -p "$work"

# picture SLUG EXERCISE TEST MUTANT KIND NAME: lessons/SLUG/pictures/NAME.svg
picture() {
    local slug=$1 exercise=$2 test=$3 mutant=$4 kind=$5 name=$6 dir=$work/$6
    mkdir -p "$dir/sub/$slug" "$root/lessons/$slug/pictures"
    patch -s -o "$dir/sub/$slug/$exercise.c" "$root/solutions/$slug/$exercise.c" \
        <"$root/lessons/$slug/mutants/$exercise/$mutant.patch" >/dev/null
    "$root/grader/grade" --show "$test" --exercise "$exercise" --submission "$dir/sub" \
        --course "$root" --show-out "$dir" 2>"$dir/show.log" \
        || { cat "$dir/show.log" >&2; echo "lesson-pictures: $name: no recording" >&2; return 1; }
    /usr/bin/python3 "$root/grader/show/render.py" "$dir/trace.jsonl" "$dir/source.c" \
        --out "$dir/page.html" --summary "$dir/summary.json" --problem-svg "$dir/$name.svg" \
        --title "$exercise: $test" >/dev/null
    if ! jq -e ".first_problem != null and (.steps[.first_problem].problems | index(\"$kind\"))" \
            "$dir/summary.json" >/dev/null; then
        echo "lesson-pictures: $name: the first problem drawn is not a $kind" >&2
        return 1
    fi
    cp "$dir/$name.svg" "$root/lessons/$slug/pictures/$name.svg"
    echo "lessons/$slug/pictures/$name.svg: step $(jq '.first_problem + 1' "$dir/summary.json") of $exercise: $test with $mutant"
}

picture 01-stack-frames storage month_name_gives_each_month month_copies_into_local_array \
    dangling_local dangling_local
picture 02-heap strset add_then_contains free_leaks_strings leak leak
picture 03-smart-pointers node detach_gives_the_reference_to_the_caller parent_is_counted leak cycle
