#!/usr/bin/env bash
# The Gradescope package, tested as Gradescope uses it, in a simulated
# /autograder (source/, submission/, results/) in a temporary folder:
# build autograder.zip for lesson 01, check what it holds (no solutions, no
# mutants, links kept as links), unzip it into source/, run setup.sh (which
# installs nothing when the packages are there) and run_autograder on a
# submission with one solved exercise, then read results.json.
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

if [ "$failures" != 0 ]; then
    echo "check-gradescope: $failures failures (logs in $out)"
    exit 1
fi
echo "check-gradescope: all passed"
