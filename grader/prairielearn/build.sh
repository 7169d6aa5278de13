#!/bin/bash
# Builds what PrairieLearn's external grader needs, from the course's last
# commit, as PrairieLearn's "External Grading" documentation lays it out:
#   OUT/image/                 the grading image's build context: Dockerfile
#                              and course/ (`git archive HEAD` without
#                              solutions/ and mutants, like Gradescope's);
#                              the grader is built into the image, and its
#                              entry point is /course/grader/prairielearn/run
#   OUT/questions/<lesson>/    one question per lesson, to copy into the PL
#                              course's questions/: info.json (gradingMethod
#                              External, externalGradingOptions: image,
#                              entrypoint with --lesson, timeout),
#                              question.html (a pl-file-upload of the
#                              lesson's files, pl-external-grader-results)
#                              and, with OVERLAY, tests/<lesson>/: the hidden
#                              tests, which PL mounts at /grade/tests
# Usage: build.sh OUT_DIR [LESSON...]
#   env OVERLAY=DIR (hidden tests), PL_IMAGE=name (default
#   c-memory-grader:latest), PL_TIMEOUT=seconds (default 120; PL allows 600)
set -euo pipefail
out=$1
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/grader/prairielearn
image=${PL_IMAGE:-c-memory-grader:latest}
timeout=${PL_TIMEOUT:-120}
# A refused build leaves nothing behind that could be uploaded by mistake.
rm -rf "$out"
mkdir -p "$(dirname "$out")"
trap 'status=$?; [ "$status" = 0 ] || rm -rf "$out"' EXIT
git -C "$root" rev-parse --verify -q HEAD >/dev/null \
    || { echo "prairielearn: the package is made from the last commit: commit first" >&2; exit 2; }
if [ -n "$(git -C "$root" status --porcelain -- lessons exercises grader Makefile)" ]; then
    echo "prairielearn: note: uncommitted changes are NOT in the package (it is HEAD)" >&2
fi
case $timeout in *[!0-9]* | '') echo "prairielearn: PL_TIMEOUT must be seconds" >&2; exit 2 ;; esac
[ "$timeout" -le 600 ] || { echo "prairielearn: PrairieLearn allows at most 600 s" >&2; exit 2; }

lesson_args=()
for lesson in "$@"; do
    lesson_args+=(--lesson "$lesson")
done
"$root/grader/grade" --course "$root" --check "${lesson_args[@]}" \
    ${OVERLAY:+--tests-overlay "$OVERLAY"} >/dev/null 2>"$out.check" \
    || { cat "$out.check" >&2; rm -f "$out.check"; echo "prairielearn: refusing" >&2; exit 1; }
rm -f "$out.check"
if [ -n "${OVERLAY:-}" ]; then
    echo "prairielearn: grading the solutions with the hidden tests from $OVERLAY..." >&2
    if ! "$root/grader/grade" --course "$root" --submission "$root/solutions" \
            --tests-overlay "$OVERLAY" "${lesson_args[@]}" >"$out.check" 2>&1; then
        cat "$out.check" >&2
        rm -f "$out.check"
        echo "prairielearn: the solutions do not get full marks with these hidden tests: refusing" >&2
        exit 1
    fi
    rm -f "$out.check"
fi

mkdir -p "$out/image/course" "$out/questions"
git -C "$root" archive --format=tar HEAD |
    tar -x -C "$out/image/course" --exclude='./solutions' --exclude='solutions' --exclude='lessons/*/mutants'
if [ -d "$out/image/course/solutions" ] || find "$out/image/course" -path '*/mutants/*' | grep -q .; then
    echo "prairielearn: solutions would be shipped: refusing" >&2
    exit 1
fi
install -m 0644 "$here/Dockerfile" "$out/image/Dockerfile"

# One question a lesson: the lessons asked for, or all.
slugs=()
for dir in "$root"/lessons/[0-9][0-9]-*/; do
    slug=$(basename "$dir")
    keep=$([ $# = 0 ] && echo true || echo false)
    for name in "$@"; do
        case $slug in "$name" | "$name"-* | "0$name"-*) keep=true ;; esac
    done
    $keep && slugs+=("$slug")
done
for slug in "${slugs[@]}"; do
    q=$out/questions/$slug
    mkdir -p "$q"
    lesson_json=$root/lessons/$slug/lesson.json
    # A stable uuid a lesson: rebuilding updates the same PL question.
    uuid=$(python3 -c 'import sys, uuid; print(uuid.uuid5(uuid.NAMESPACE_URL, "c-memory-model/" + sys.argv[1]))' "$slug")
    jq -n --arg uuid "$uuid" --arg slug "$slug" --arg image "$image" --argjson timeout "$timeout" \
        --slurpfile lesson "$lesson_json" '{
            uuid: $uuid, type: "v3",
            title: ("Lesson " + $slug + ": " + ($lesson[0].title // $slug)),
            topic: "The C Memory Model", tags: ["c", "valgrind"],
            gradingMethod: "External", singleVariant: true,
            externalGradingOptions: {
                enabled: true, image: $image,
                entrypoint: ["/course/grader/prairielearn/run", "--lesson", $slug],
                timeout: $timeout
            }
        }' >"$q/info.json"
    files=$(jq -r '[.exercises[] + ".c"] | join(", ")' "$lesson_json")
    {
        echo '<pl-question-panel>'
        echo "  <p>Upload your files for lesson <code>$slug</code>: $files. Each is graded under"
        echo '  Valgrind; the results say, test by test, what to fix.</p>'
        echo '</pl-question-panel>'
        echo "<pl-file-upload file-names=\"$files\"></pl-file-upload>"
        echo '<pl-submission-panel>'
        echo '  <pl-file-preview></pl-file-preview>'
        echo '  <pl-external-grader-results></pl-external-grader-results>'
        echo '</pl-submission-panel>'
    } >"$q/question.html"
    if [ -n "${OVERLAY:-}" ] && [ -d "$OVERLAY/$slug" ]; then
        mkdir -p "$q/tests"
        cp -R -P "$OVERLAY/$slug" "$q/tests/$slug"
    fi
done
echo "prairielearn: $out: image/ (docker build -t $image $out/image), questions/: ${slugs[*]}" \
    "$([ -n "${OVERLAY:-}" ] && echo "(hidden tests from $OVERLAY)")"
