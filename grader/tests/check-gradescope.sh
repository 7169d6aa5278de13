#!/usr/bin/env bash
# The Gradescope package, tested as Gradescope uses it, in a simulated
# /autograder (source/, submission/, results/) in a temporary folder:
# build autograder.zip for lesson 01, check what it holds (no solutions, no
# mutants, links kept as links), unzip it into source/, run setup.sh (which
# installs nothing when the packages are there) and run_autograder on a
# submission with one solved exercise, then read results.json. Then the same
# with an instructor's hidden tests (OVERLAY), for lesson 02.
# Usage: check-gradescope.sh OUT_DIR
set -euo pipefail
out=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$out" && mkdir -p "$out"
out=$(cd "$out" && pwd)
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
ok() { echo "ok   $*"; }

zip=$out/autograder.zip
"$root/grader/gradescope/build.sh" "$zip" 01 2>"$out/build.err" >"$out/build.log" \
    || { cat "$out/build.err"; exit 1; }
zipinfo "$zip" >"$out/zipinfo.txt"
zipinfo -1 "$zip" >"$out/entries.txt"
grep -qx setup.sh "$out/entries.txt" && grep -qx run_autograder "$out/entries.txt" \
    && ok "setup.sh and run_autograder at the top" || fail "setup.sh or run_autograder missing"
grep -Eq '^-rwx.* run_autograder$' "$out/zipinfo.txt" && ok "run_autograder is executable" \
    || fail "run_autograder is not executable"
if grep -Eq '^course/(solutions/|lessons/[^/]+/mutants/)' "$out/entries.txt"; then
    fail "solutions or mutants are in the package: $(grep -E 'solutions/|mutants/' "$out/entries.txt" | head -3)"
else
    ok "no solutions/ and no mutants in the package"
fi
grep -Eq '^l.* course/grader/tests/course/grader$' "$out/zipinfo.txt" \
    && ok "symbolic links stored as links" || fail "a symbolic link was followed"
size=$(du -k "$zip" | cut -f1)
[ "$size" -lt 2048 ] && ok "package is $size KiB" || fail "package is $size KiB"

# The simulated /autograder.
ag=$out/autograder
mkdir -p "$ag/source" "$ag/submission/01-stack-frames" "$ag/results"
(cd "$ag/source" && unzip -q "$zip")
cp "$root/solutions/01-stack-frames/addr_text.c" "$ag/submission/01-stack-frames/"
if "$ag/source/setup.sh" >"$out/setup.log" 2>&1; then ok "setup.sh builds the grader"; else
    fail "setup.sh: $(tail -5 "$out/setup.log")"; fi
AUTOGRADER_DIR=$ag "$ag/source/run_autograder" >"$out/run.log" 2>&1 \
    && ok "run_autograder exits 0" || fail "run_autograder exited $?"
results=$ag/results/results.json
want=$(jq '[.tests[] | select(.name | startswith("01-stack-frames/addr_text/")) | .max_score] | add' \
    "$results" 2>/dev/null || echo none)
if jq -e --argjson want "$want" '.score == $want and .max_score > $want
        and ([.tests[].name | select(startswith("01-stack-frames/") | not)] | length == 0)' \
        "$results" >/dev/null 2>&1; then
    ok "results.json: $(jq -r '"\(.score)/\(.max_score)"' "$results"): addr_text solved, lesson 01 only"
else
    fail "results.json: $(jq -c '{score, max_score, output}' "$results" 2>&1 | head -c 400)"
fi

# A grader that cannot even start still leaves a results.json.
mkdir -p "$out/broken"
AUTOGRADER_DIR=$ag AUTOGRADER_SOURCE=$out/broken AUTOGRADER_RESULTS=$out/broken/results \
    "$ag/source/run_autograder" >/dev/null 2>&1 || true
jq -e '.score == 0 and (.output | test("autograder failed"))' "$out/broken/results/results.json" \
    >/dev/null 2>&1 && ok "results.json written when the grader cannot run" \
    || fail "no results.json when the grader cannot run"

# Hidden tests: a second package, for lesson 02, with the example overlay.
overlay=$root/grader/tests/overlay
grep -q '^overlay/' "$out/entries.txt" && fail "the package without OVERLAY has an overlay/" \
    || ok "no overlay/ in a package built without OVERLAY"
hidden_zip=$out/hidden/autograder.zip
OVERLAY=$overlay "$root/grader/gradescope/build.sh" "$hidden_zip" 02 >"$out/hidden-build.log" 2>&1 \
    || { cat "$out/hidden-build.log"; exit 1; }
zipinfo -1 "$hidden_zip" >"$out/hidden-entries.txt"
grep -qx 'overlay/02-heap/vector_test.c' "$out/hidden-entries.txt" \
    && ok "OVERLAY=dir puts the hidden tests in overlay/" || fail "overlay/ missing from the package"
hag=$out/hidden/autograder
mkdir -p "$hag/source" "$hag/submission" "$hag/results"
(cd "$hag/source" && unzip -q "$hidden_zip")
cp "$root/solutions/02-heap/vector.c" "$hag/submission/"
cp -R -P "$ag/source/course/build" "$hag/source/course/build" 2>/dev/null || true
AUTOGRADER_DIR=$hag "$hag/source/run_autograder" >"$out/hidden-run.log" 2>&1 \
    && ok "run_autograder with hidden tests exits 0" || fail "run_autograder with hidden tests exited $?"
hres=$hag/results/results.json
if jq -e '[.tests[] | select(.name | startswith("02-heap/vector_hidden/"))] as $h
          | ($h | length) == 2 and ([$h[] | select(.score == .max_score)] | length) == 2
          and ([$h[].visibility] | sort) == ["after_due_date", "hidden"]
          and ([.tests[] | select(.name | startswith("02-heap/vector/")) | .visibility]
               | unique) == ["visible"]
          and (.output | test("vector_hidden") | not)
          and (.output | test("2 more tests count towards your grade"))' \
        "$hres" >/dev/null 2>&1; then
    ok "hidden tests graded, with their visibility, and left out of the visible summary"
else
    fail "hidden tests: $(jq -c '{output, t: [.tests[] | select(.name | test("vector")) | [.name, .score, .visibility]]}' "$hres" 2>&1 | head -c 600)"
fi
[ "$(stat -c %a "$hag/source/overlay")" = 700 ] && ok "run_autograder makes the overlay root's alone" \
    || fail "the overlay is $(stat -c %a "$hag/source/overlay") after run_autograder"
# The advice, in results.json and in the report: a file of the lesson, no
# make command, no /autograder path (the upload has only vector.c: the first
# exercise that lost points is a missing one).
if jq -e '(.output | test("\nnext: [^\n]*02-heap/[a-z_]+[.]c")) and (.output | test("make |/autograder") | not)' \
        "$hres" >/dev/null 2>&1 && grep -q '^next: .*[a-z_][.]c' "$out/hidden-run.log" \
        && ! grep -q '^next: .*\(make \|/autograder\)' "$out/hidden-run.log"; then
    ok "next: no make command, no /autograder path: $(grep '^next:' "$out/hidden-run.log")"
else
    fail "next: $(jq -r .output "$hres" | tail -2) / $(grep '^next:' "$out/hidden-run.log")"
fi

# Bad overlays in a package (edited after packaging, or a test that does
# not compile on Gradescope's compiler): the learner's results.json never
# names the hidden folder or file; the grader's log (the instructor's) does.
leak_check() { # NAME RESULTS LOG WORD: results.json names neither WORD nor the overlay
    if jq -r '.output, (.tests[] | .name, .output)' "$2" 2>/dev/null | grep -q "$4\|overlay\|/autograder"; then
        fail "$1: the learner's results.json names a hidden path: $(jq -c . "$2" | head -c 500)"
    elif ! jq -e . "$2" >/dev/null 2>&1; then
        fail "$1: no results.json"
    elif ! grep -q "$4" "$3"; then
        fail "$1: the grader's log does not name $4 for the instructor: $(tail -3 "$3")"
    else
        ok "$1: results.json names no hidden path ($(jq -r '.output | split("\n")[0]' "$2"))"
    fi
}
for bad in misnamed broken; do
    bag=$out/bad-$bad/autograder
    mkdir -p "$bag/results"
    cp -R -P "$hag/source" "$hag/submission" "$bag/"
    chmod -R u+rwX "$bag/source/overlay"
    case $bad in
    misnamed) mv "$bag/source/overlay/02-heap/vector_test.c" "$bag/source/overlay/02-heap/vectr_test.c"
              word=vectr_test ;;
    broken) echo 'this does not compile' >>"$bag/source/overlay/02-heap/vector_test.c"
            word=vector_test ;;
    esac
    AUTOGRADER_DIR=$bag "$bag/source/run_autograder" >"$out/bad-$bad.log" 2>&1 || true
    leak_check "a $bad hidden test file" "$bag/results/results.json" "$out/bad-$bad.log" "$word"
done

# The same overlay, graded directly: the stubs fail the hidden tests, and an
# overlay file that belongs to no exercise is an error, with results.json.
"$root/grader/grade" --course "$root" --submission "$root/exercises" --lesson 02 \
    --exercise vector --tests-overlay "$overlay" --json "$out/stub-hidden.json" \
    >"$out/stub-hidden.log" 2>&1 || true
jq -e '[.tests[] | select(.name | startswith("02-heap/vector_hidden/"))] as $h
       | ($h | length) == 2 and ([$h[].score] | add) == 0' "$out/stub-hidden.json" >/dev/null 2>&1 \
    && ok "the stub gets 0 on the hidden tests" || fail "stub and hidden tests: $(head -c 300 "$out/stub-hidden.json")"
mkdir -p "$out/typo/02-heap"
cp "$overlay/02-heap/vector_test.c" "$out/typo/02-heap/vectr_test.c"
set +e
"$root/grader/grade" --course "$root" --lesson 02 --tests-overlay "$out/typo" \
    --json "$out/typo.json" >"$out/typo.log" 2>&1
status=$?
set -e
[ "$status" = 2 ] && grep -q 'vectr_test.c, which belongs to no exercise' "$out/typo.log" \
    && jq -e '.score == 0 and (.output | test("vectr_test|typo") | not)' "$out/typo.json" >/dev/null \
    && ok "a misnamed hidden test file is an error, named in the log, not in results.json" \
    || fail "misnamed hidden test file: status $status, $(tail -2 "$out/typo.log")"
# make gradescope OVERLAY=bad refuses, and leaves no older zip behind.
mkdir -p "$out/stale"
cp "$zip" "$out/stale/autograder.zip"
if OVERLAY=$out/typo "$root/grader/gradescope/build.sh" "$out/stale/autograder.zip" 02 \
        >"$out/stale.log" 2>&1; then
    fail "a package was built with a misnamed hidden test file"
else
    grep -q 'vectr_test.c' "$out/stale.log" && [ ! -e "$out/stale/autograder.zip" ] \
        && ok "OVERLAY with a misnamed file: refused, and no stale zip left" \
        || fail "stale zip: $(ls "$out/stale") $(tail -2 "$out/stale.log")"
fi

# Hidden tests that the reference solution fails are refused at packaging.
mkdir -p "$out/wrong/02-heap"
printf '%s\n' '#include "course_test.h"' \
    'GRADED_TEST(vector_wrong, expects_the_impossible, 1, .description = "1 is 2") { cr_assert(eq(int, 1, 2)); }' \
    >"$out/wrong/02-heap/vector_test.c"
if OVERLAY=$out/wrong "$root/grader/gradescope/build.sh" "$out/wrong.zip" 02 \
        >"$out/wrong.log" 2>&1; then
    fail "a package was built with hidden tests that the solution fails"
else
    grep -q 'do not get full marks with these hidden tests' "$out/wrong.log" && [ ! -e "$out/wrong.zip" ] \
        && ok "hidden tests that the solution fails are refused at packaging" \
        || fail "wrong hidden tests: $(tail -2 "$out/wrong.log")"
fi

if [ "$failures" != 0 ]; then
    echo "check-gradescope: $failures failures (logs in $out)"
    exit 1
fi
echo "check-gradescope: all passed"
