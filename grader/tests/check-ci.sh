#!/usr/bin/env bash
# The CI workflow (docs/ci/grade.yml), its steps run as GitHub's runner runs
# them (grader/tests/run-workflow.py): as a non-root user (nobody) in a
# fresh clone it owns, with GITHUB_OUTPUT, GITHUB_STEP_SUMMARY... pointed at
# temporary files; the one `sudo` step (packages) as root. Lesson 01 only:
# addr_text solved, stack_growth broken at a known line, the rest stubs.
# Then: the job summary, the annotations at file:line, the artifacts, no
# root-owned file left in the clone, FAIL_BELOW, and `sudo setup.sh .` (the
# Classroom way) leaving the checkout gradable by its user (it used to leave
# build/ root's: "flock: ... build/.grader.lock: Permission denied").
# Needs root (to become nobody). Usage: check-ci.sh OUT_DIR
set -uo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rm -rf "$out" && mkdir -p "$out"
out=$(cd "$out" && pwd)
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
ok() { echo "ok   $*"; }
uid=65534 gid=65534 # nobody: not root, no home, no sudo
if [ "$(id -u)" != 0 ]; then
    echo "SKIP check-ci: needs root, to run the workflow as another user"
    exit 0
fi
as_user() { setpriv --reuid=$uid --regid=$gid --clear-groups env HOME="$out/home" "$@"; }
root_owned() { find "$1" ! -uid $uid -printf '%u %p\n' | head -5; }
mkdir -p "$out/home" && chown $uid:$gid "$out/home"

# The learner's work: one exercise solved, one that does not compile.
clone=$out/clone
"$here/fresh-clone.sh" "$clone" $uid $gid || { echo "FAIL fresh clone"; exit 1; }
ex=$clone/exercises/01-stack-frames
as_user cp "$root/solutions/01-stack-frames/addr_text.c" "$ex/addr_text.c"
broken_line=$(($(wc -l <"$ex/stack_growth.c") + 2))
printf '\nint this is not C;\n' | as_user tee -a "$ex/stack_growth.c" >/dev/null

# --- The workflow, as the runner's user ------------------------------------
"$here/run-workflow.py" "$root/docs/ci/grade.yml" "$clone" "$out/run" $uid $gid LESSON=01 \
    >"$out/run.log" 2>&1
run=$out/run/run.json
if ! jq -e . "$run" >/dev/null 2>&1; then
    echo "FAIL the workflow did not run: $(tail -5 "$out/run.log")"
    exit 1
fi
jq -e '.failed == false and all(.steps[]; .outcome == "success")' "$run" >/dev/null \
    && ok "every step succeeds; the job passes (FAIL_BELOW empty): $(jq -r '[.steps[].name] | join(", ")' "$run" | head -c 200)" \
    || fail "steps: $(jq -c '[.steps[] | [.name, .outcome, .exit]]' "$run")"
jq -e '[.steps[] | select(.as_root == true) | .name] == ["Install the packages (root installs, and nothing else)"]' \
    "$run" >/dev/null && ok "only the package step runs as root (sudo)" \
    || fail "steps as root: $(jq -c '[.steps[] | select(.as_root) | .name]' "$run")"
left=$(root_owned "$clone")
[ -z "$left" ] && ok "nothing in the clone belongs to root after the workflow" || fail "root's files in the clone: $left"

summary=$(jq -r .summary "$run")
solved=$(jq '[.tests[] | select(.extra_data.exercise == "addr_text") | .max_score] | add' \
    "$out/run/artifacts/grade/results.json" 2>/dev/null)
if grep -q "^### Grade: $solved/[0-9]* points" <<<"$summary" \
        && grep -qF "| 01-stack-frames | addr\\_text | $solved/$solved | done |" <<<"$summary" \
        && grep -q '^| 01-stack-frames | stack\\_growth | 0/[0-9]* | [0-9]* of [0-9]* fail |' <<<"$summary" \
        && grep -q 'exercises/01-stack-frames/stack\\_growth.c did not build: line '"$broken_line" <<<"$summary"; then
    ok "job summary: the table and why points were lost"
else
    fail "job summary: $summary"
fi
jq -e --arg line "$broken_line" '.annotations | any(.level == "error"
        and .file == "exercises/01-stack-frames/stack_growth.c" and .line == $line)' "$run" >/dev/null \
    && ok "an error annotation at exercises/01-stack-frames/stack_growth.c:$broken_line" \
    || fail "annotations: $(jq -c .annotations "$run" | head -c 800)"
jq -e '.annotations | any(.file == "exercises/01-stack-frames/tree_depth.c")
       and (any(.file == "exercises/01-stack-frames/addr_text.c") | not)' "$run" >/dev/null \
    && ok "annotations for each failing exercise, none for the solved one" \
    || fail "annotations: $(jq -c '[.annotations[] | [.file, .line, .title]]' "$run")"
arts=$out/run/artifacts/grade
if jq -e --argjson s "${solved:-0}" '.score == $s and $s > 0' "$arts/results.json" >/dev/null 2>&1 && grep -q '<testsuites' "$arts/junit.xml" \
        && [ -s "$arts/report.txt" ]; then
    ok "artifacts: results.json, junit.xml, report.txt"
else
    fail "artifacts: $(ls "$arts" 2>&1)"
fi
next=$(grep '^next:' "$arts/report.txt")
case $next in
*make\ * | *"$clone"*) fail "the next: line: $next" ;;
next:\ *exercises/01-stack-frames/*.c*) ok "$next" ;;
*) fail "the next: line: $next" ;;
esac
grep -q '^::stop-commands::' "$out/run/step-3.log" \
    && ok "the report is fenced with ::stop-commands:: in the log" || fail "no ::stop-commands:: in the grading step's log"

# --- FAIL_BELOW: the gate step alone ----------------------------------------
gate() { (cd "$clone" && as_user env FAIL_BELOW="$1" grader/ci/github.sh gate) >"$out/gate-$1.log" 2>&1; }
gate "" && gate 10 && ! gate 100 && grep -q '^::error title=Below the pass mark::' "$out/gate-100.log" \
    && ok "FAIL_BELOW: empty and 10 pass, 100 fails the job with an annotation" \
    || fail "FAIL_BELOW: $(cat "$out"/gate-*.log)"

# --- sudo setup.sh . (the Classroom way), then grading as the user ----------
# An older setup.sh left build/ root's: the fixed one hands it back.
clone2=$out/clone-sudo
"$here/fresh-clone.sh" "$clone2" $uid $gid || { echo "FAIL fresh clone"; exit 1; }
mkdir -p "$clone2/build" && touch "$clone2/build/.grader.lock" # root's, as before the fix
(cd "$clone2" && SUDO_UID=$uid SUDO_GID=$gid SUDO_USER=nobody grader/gradescope/setup.sh .) \
    >"$out/sudo-setup.log" 2>&1 || fail "sudo setup.sh .: $(tail -3 "$out/sudo-setup.log")"
left=$(root_owned "$clone2")
[ -z "$left" ] && ok "sudo setup.sh . leaves nothing of root's in the checkout" || fail "root's files: $left"
as_user cp "$root/solutions/01-stack-frames/addr_text.c" "$clone2/exercises/01-stack-frames/"
(cd "$clone2" && as_user grader/grade --lesson 01 --exercise addr_text --json "$out/home/user.json") \
    >"$out/user-grade.log" 2>&1
if jq -e '.score > 0 and .score == .max_score' "$out/home/user.json" >/dev/null 2>&1 && ! grep -q 'Permission denied' "$out/user-grade.log"; then
    ok "after sudo setup.sh ., the user grades (no flock: Permission denied)"
else
    fail "grading as the user after sudo setup.sh: $(tail -3 "$out/user-grade.log")"
fi

if [ "$failures" != 0 ]; then
    echo "check-ci: $failures failures (logs in $out)"
    exit 1
fi
echo "check-ci: all passed"
