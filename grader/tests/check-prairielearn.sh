#!/usr/bin/env bash
# PrairieLearn's external grader (grader/prairielearn/): the package that
# `make prairielearn` builds, and a grading job run as PrairieLearn runs
# it, in a simulated /grade (student/, tests/, results/): the packaged
# course's grader built as the image's Dockerfile builds it, the entry
# point named in info.json run with its arguments. Every results.json is
# checked against grader/prairielearn/results.schema.json, written from
# PrairieLearn's documentation (python3-jsonschema).
# Usage: check-prairielearn.sh OUT_DIR
set -uo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rm -rf "$out" && mkdir -p "$out"
out=$(cd "$out" && pwd)
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
ok() { echo "ok   $*"; }
schema=$root/grader/prairielearn/results.schema.json
valid() { # RESULTS: valid against the documented schema, and at most 1 MB
    python3 - "$schema" "$1" <<'PY'
import json, os, sys
import jsonschema
schema, path = sys.argv[1], sys.argv[2]
if os.path.getsize(path) > 1024 * 1024:
    sys.exit(f"{path} is over 1 MB")
jsonschema.validate(json.load(open(path)), json.load(open(schema)))
PY
}

# --- The package -------------------------------------------------------------
pkg=$out/package
if ! "$root/grader/prairielearn/build.sh" "$pkg" 01 >"$out/build.log" 2>&1; then
    echo "FAIL build.sh: $(tail -5 "$out/build.log")"
    exit 1
fi
q=$pkg/questions/01-stack-frames
if [ -f "$pkg/image/Dockerfile" ] && [ -x "$pkg/image/course/grader/prairielearn/run" ] \
        && [ ! -e "$pkg/image/course/solutions" ] && ! find "$pkg/image/course" -path '*/mutants/*' | grep -q .; then
    ok "image/: Dockerfile and course/ with the entry point, no solutions, no mutants"
else
    fail "image/: $(ls "$pkg/image" "$pkg/image/course" 2>&1 | head -5)"
fi
if jq -e '.type == "v3" and (.uuid | test("^[0-9a-f-]{36}$")) and .gradingMethod == "External"
          and .externalGradingOptions.enabled == true
          and .externalGradingOptions.entrypoint == ["/course/grader/prairielearn/run", "--lesson", "01-stack-frames"]
          and .externalGradingOptions.timeout <= 600' "$q/info.json" >/dev/null 2>&1 \
        && [ "$(ls "$pkg/questions")" = 01-stack-frames ]; then
    ok "questions/01-stack-frames/info.json: External grading, the entry point with --lesson"
else
    fail "info.json: $(cat "$q/info.json" 2>&1 | head -c 500)"
fi
files=$(jq -r '[.exercises[] + ".c"] | join(", ")' "$root/lessons/01-stack-frames/lesson.json")
grep -qF "<pl-file-upload file-names=\"$files\">" "$q/question.html" \
    && grep -q '<pl-external-grader-results>' "$q/question.html" \
    && ok "question.html: pl-file-upload of $files, pl-external-grader-results" \
    || fail "question.html: $(cat "$q/question.html")"

# --- The image, as its Dockerfile builds it (the packages are already here) --
course=$pkg/image/course
if "$course/grader/gradescope/setup.sh" --build-only "$course" >"$out/image-build.log" 2>&1; then
    ok "the image's build step builds the grader"
else
    echo "FAIL the image's build step: $(tail -5 "$out/image-build.log")"
    exit 1
fi
entry=$(jq -r '.externalGradingOptions.entrypoint | join(" ")' "$q/info.json")
entry=${entry/\/course\//$course/}

job() { # NAME: runs the entry point on $out/NAME/grade; results in $out/NAME.json
    local g=$out/$1/grade
    PL_GRADE_DIR=$g $entry >"$out/$1.log" 2>&1 || fail "$1: the entry point exited $?"
    cp "$g/results/results.json" "$out/$1.json" 2>/dev/null
    if valid "$out/$1.json" 2>"$out/$1.schema"; then :; else
        fail "$1: results.json does not match the documented schema: $(tail -2 "$out/$1.schema")"
        return 1
    fi
}

# A flat upload: addr_text solved, stack_growth broken, the rest missing.
g=$out/flat/grade
mkdir -p "$g/student"
cp "$root/solutions/01-stack-frames/addr_text.c" "$g/student/"
{ cat "$root/exercises/01-stack-frames/stack_growth.c"; printf 'int this is not C;\n'; } >"$g/student/stack_growth.c"
if job flat; then
    solved=$(jq '[.tests[] | select(.name | startswith("01-stack-frames/addr_text/")) | .max_points] | add' "$out/flat.json")
    if jq -e --argjson solved "${solved:-0}" '.gradable == true and $solved > 0
            and ([.tests[].points] | add) == $solved
            and (.score - $solved / ([.tests[].max_points] | add) | fabs) < 1e-9
            and all(.tests[]; .points <= .max_points and (.name | length) > 0)' "$out/flat.json" >/dev/null; then
        ok "results.json matches the schema: score $(jq -r '.score * 1000 | round / 1000' "$out/flat.json") ($solved points of $(jq '[.tests[].max_points] | add' "$out/flat.json"))"
    else
        fail "flat: $(jq -c '{gradable, score, n: (.tests | length)}' "$out/flat.json")"
    fi
    message=$(jq -r .message "$out/flat.json")
    if grep -q '^  - stack_growth.c did not build: line ' <<<"$message" \
            && grep -q 'missing from the submission: 01-stack-frames/' <<<"$message" \
            && grep -q '^next: .*[a-z_]*[.]c' <<<"$message" && ! grep -q 'make \|/grade' <<<"$message"; then
        ok "message: why points were lost (as uploaded: stack_growth.c), next: without make"
    else
        fail "message: $message"
    fi
fi

# Hidden tests: the question's tests/ folder, mounted at /grade/tests.
g=$out/hidden/grade
mkdir -p "$g/student" "$g/tests/01-stack-frames"
cp "$root/solutions/01-stack-frames/addr_text.c" "$g/student/"
cat >"$g/tests/01-stack-frames/addr_text_test.c" <<'T'
#define COURSE_TEST_VISIBILITY "hidden"
#include "course_test.h"
#include "addr_text.h"

GRADED_TEST(addr_text_secret, make_writes_one, 3, .description = "addr_text_make(1) is 0x1")
{
    struct addr_text t = addr_text_make(1);
    cr_assert(eq(str, t.text, "0x1"), "1 is 0x1");
}
T
if job hidden; then
    if jq -e '[.tests[] | select(.name == "hidden tests")] as $h
              | ($h | length) == 1 and $h[0].points == 3 and $h[0].max_points == 3 and $h[0].output == ""
              and ([.tests[].name | select(test("secret"))] | length) == 0' "$out/hidden.json" >/dev/null \
            && ! grep -q 'addr_text_secret\|/grade/tests' "$out/hidden.json" \
            && [ "$(stat -c %a "$g/tests")" = 700 ]; then
        ok "hidden tests from /grade/tests: counted as one unnamed entry (3/3), made root's alone"
    else
        fail "hidden: $(jq -c '[.tests[] | [.name, .points, .max_points]]' "$out/hidden.json" | head -c 600)"
    fi
fi
# A hidden test that does not compile: not gradable, and never named.
g=$out/broken/grade
mkdir -p "$g/student" "$g/tests"
cp "$root/solutions/01-stack-frames/addr_text.c" "$g/student/"
cp -R "$out/hidden/grade/tests/01-stack-frames" "$g/tests/"
echo 'this does not compile' >>"$g/tests/01-stack-frames/addr_text_test.c"
if job broken; then
    if jq -e '.gradable == false and (.format_errors | length) > 0' "$out/broken.json" >/dev/null \
            && ! grep -q 'addr_text_test\|addr_text_secret\|/grade/tests\|tests/01' "$out/broken.json"; then
        ok "a broken hidden test: not gradable, and no hidden path in results.json"
    else
        fail "broken: $(head -c 600 "$out/broken.json")"
    fi
fi
# Nothing to grade: not gradable, the reason in format_errors.
g=$out/empty/grade
mkdir -p "$g/student"
echo 'not a zip' >"$g/student/lab.zip"
if job empty; then
    jq -e '.gradable == false and (.format_errors | any(test("no exercise file was found.*lab.zip")))' \
        "$out/empty.json" >/dev/null \
        && ok "no exercise file: not gradable: $(jq -r '.format_errors[0]' "$out/empty.json")" \
        || fail "empty: $(head -c 400 "$out/empty.json")"
fi
# The grader cannot start at all: a results.json that says so.
mkdir -p "$out/nostart/grade/student"
cp -R "$course/grader/prairielearn" "$out/nostart/entry"
PL_GRADE_DIR=$out/nostart/grade "$out/nostart/entry/run" --lesson 01 >/dev/null 2>&1
cp "$out/nostart/grade/results/results.json" "$out/nostart.json" 2>/dev/null
valid "$out/nostart.json" 2>/dev/null && jq -e '.gradable == false' "$out/nostart.json" >/dev/null \
    && ok "results.json written, not gradable, when the grader cannot run" \
    || fail "nostart: $(cat "$out/nostart.json" 2>&1 | head -c 300)"

# A misnamed hidden test file is refused at packaging, leaving nothing.
mkdir -p "$out/typo/01-stack-frames"
cp "$out/hidden/grade/tests/01-stack-frames/addr_text_test.c" "$out/typo/01-stack-frames/adr_text_test.c" 2>/dev/null \
    || cp "$g/tests/01-stack-frames/addr_text_test.c" "$out/typo/01-stack-frames/adr_text_test.c"
mkdir -p "$out/typo-package/questions"
if OVERLAY=$out/typo "$root/grader/prairielearn/build.sh" "$out/typo-package" 01 >"$out/typo.log" 2>&1; then
    fail "a package was built with a misnamed hidden test file"
else
    grep -q 'adr_text_test.c' "$out/typo.log" && [ ! -e "$out/typo-package" ] \
        && ok "OVERLAY with a misnamed file: refused, and no package left" \
        || fail "typo: $(tail -2 "$out/typo.log")"
fi

if [ "$failures" != 0 ]; then
    echo "check-prairielearn: $failures failures (logs in $out)"
    exit 1
fi
echo "check-prairielearn: all passed"
