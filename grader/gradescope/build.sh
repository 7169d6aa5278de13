#!/bin/bash
# Builds Gradescope's autograder.zip from the course's last commit:
#   setup.sh, run_autograder   at the top, as Gradescope wants them;
#   course/                    `git archive HEAD` without solutions/ and
#                              without the mutants (patches against the
#                              solutions, so they would show them); symbolic
#                              links are stored as links, never followed;
#   lessons.txt                the lessons to grade, one a line (empty: all);
#   overlay/                   the hidden tests, when OVERLAY is given (once
#                              the solutions get full marks with them).
# Usage: build.sh OUT_ZIP [LESSON...]     (env OVERLAY=DIR: hidden tests)
set -euo pipefail
zip_path=$1
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/grader/gradescope
# A refused package leaves no zip behind: an older one at the same path
# would be uploaded by mistake.
rm -f "$zip_path"
command -v zip >/dev/null || { echo "gradescope: zip is missing: apt-get install zip" >&2; exit 2; }
git -C "$root" rev-parse --verify -q HEAD >/dev/null \
    || { echo "gradescope: the package is made from the last commit: commit first" >&2; exit 2; }
if [ -n "$(git -C "$root" status --porcelain -- lessons exercises grader Makefile)" ]; then
    echo "gradescope: note: uncommitted changes are NOT in the package (it is HEAD)" >&2
fi

stage=$(mktemp -d)
trap 'status=$?; rm -rf "$stage"; [ "$status" = 0 ] || rm -f "$zip_path"' EXIT
mkdir "$stage/course"
git -C "$root" archive --format=tar HEAD |
    tar -x -C "$stage/course" --exclude='./solutions' --exclude='solutions' --exclude='lessons/*/mutants'
if [ -d "$stage/course/solutions" ] || find "$stage/course" -path '*/mutants/*' | grep -q .; then
    echo "gradescope: solutions would be shipped: refusing" >&2
    exit 1
fi
install -m 0755 "$here/setup.sh" "$here/run_autograder" "$stage/"
: >"$stage/lessons.txt"
for lesson in "$@"; do
    echo "$lesson" >>"$stage/lessons.txt"
done
if [ -n "${OVERLAY:-}" ]; then
    # Hidden tests that the reference solutions fail, or that belong to no
    # exercise, would cost every learner points: prove them first.
    lesson_args=()
    for lesson in "$@"; do
        lesson_args+=(--lesson "$lesson")
    done
    # Every file must belong to an exercise: checked before the long grading.
    if ! "$root/grader/grade" --course "$root" --check --tests-overlay "$OVERLAY" "${lesson_args[@]}" \
            >"$stage/check.txt" 2>&1; then
        cat "$stage/check.txt" >&2
        echo "gradescope: the hidden tests in $OVERLAY do not fit the course: refusing" >&2
        exit 1
    fi
    echo "gradescope: grading the solutions with the hidden tests from $OVERLAY..." >&2
    if ! "$root/grader/grade" --course "$root" --submission "$root/solutions" \
            --tests-overlay "$OVERLAY" "${lesson_args[@]}" >"$stage/check.txt" 2>&1; then
        cat "$stage/check.txt" >&2
        echo "gradescope: the solutions do not get full marks with these hidden tests: refusing" >&2
        exit 1
    fi
    rm -f "$stage/check.txt"
    cp -R -P "$OVERLAY" "$stage/overlay"
fi

mkdir -p "$(dirname "$zip_path")"
rm -f "$zip_path"
zip_abs=$(cd "$(dirname "$zip_path")" && pwd)/$(basename "$zip_path")
# -y: store symbolic links as links; -X: no extra file attributes.
(cd "$stage" && zip -q -r -y -X "$zip_abs" .)
echo "gradescope: $zip_path ($(du -k "$zip_path" | cut -f1) KiB, $(zipinfo -1 "$zip_path" | wc -l) entries," \
    "lessons: ${*:-all}$([ -n "${OVERLAY:-}" ] && echo ", hidden tests from $OVERLAY"))"
