#!/usr/bin/env bash
# Same code, same grade: the grade does not depend on how busy the machine
# is, nor on the resource limits the grader inherits. It is also where
# `make test` grades the solutions and the stubs (test-solutions and
# test-stubs, run alone, do the same on a quiet machine).
#  1. At once, beside LOOPS busy loops (on a 2-core machine, with the
#     gradings themselves, a load of about 5): the solutions under Valgrind
#     and with --fast (AddressSanitizer) must get full marks with no memory
#     error, every test's CPU allowance at least PROTO_COST_CHECKED times
#     what the solution used (measured busy: a margin that holds busy holds
#     idle); the shipped stubs must score 0 on every test; GRADINGS beyond
#     those three grade the solutions under Valgrind again.
#  2. The solutions graded under a small `ulimit -f` and `ulimit -v` get
#     full marks, or, where a limit is truly too small (AddressSanitizer
#     needs unlimited address space), the one-line refusal that names it.
# Usage: check-load.sh OUT_DIR [GRADINGS] [LOOPS]
set -euo pipefail
out=$1 gradings=${2:-3} loops=${3:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
grade=$root/grader/grade
rm -rf "$out" && mkdir -p "$out"
failed=0
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failed=1; }

# The stubs as shipped (committed), not a learner's work in progress.
mkdir -p "$out/stubs"
if git -C "$root" rev-parse --verify -q HEAD >/dev/null 2>&1; then
    git -C "$root" archive HEAD exercises | tar -x -C "$out/stubs"
else
    cp -r "$root/exercises" "$out/stubs/"
fi

loop_pids=()
stop_loops() { [ ${#loop_pids[@]} -eq 0 ] || kill "${loop_pids[@]}" 2>/dev/null || true; }
trap stop_loops EXIT
for _ in $(seq "$loops"); do
    bash -c 'while :; do :; done' &
    loop_pids+=($!)
done

# 1. The gradings, at once.
names=(solutions solutions-fast stubs)
for ((i = 4; i <= gradings; i++)); do names+=("solutions-$i"); done
grading_pids=()
for name in "${names[@]}"; do
    case $name in
    solutions-fast) args=(--fast --submission "$root/solutions") ;;
    stubs) args=(--submission "$out/stubs/exercises") ;;
    *) args=(--submission "$root/solutions") ;;
    esac
    "$grade" "${args[@]}" --jobs 2 --json "$out/$name.json" >"$out/$name.txt" 2>&1 &
    grading_pids+=($!)
done
for pid in "${grading_pids[@]}"; do wait "$pid" || true; done
stop_loops
loop_pids=()
beside="beside $loops busy loops and $((${#names[@]} - 1)) other gradings"
for name in "${names[@]}"; do
    json=$out/$name.json
    score=$(jq -r '"\(.score)/\(.max_score), \(.tests | length) tests"' "$json" 2>/dev/null \
            || echo "no results")
    if [ "$name" = stubs ]; then
        if jq -e '(.tests | length > 0) and ([.tests[] | select(.score != 0)] | length == 0)' \
                "$json" >/dev/null 2>&1; then
            ok "stubs, $beside: every one of $(jq '.tests | length' "$json") tests fails"
        else
            fail "stubs, $beside: tests that earn points against the stubs:"
            jq -r '.tests[] | select(.score != 0) | "  \(.name)"' "$json" 2>/dev/null | head -20
        fi
        continue
    fi
    if ! jq -e '.score == .max_score and .max_score > 0
                and ([.tests[] | select(.status != "passed")] | length == 0)' "$json" >/dev/null 2>&1; then
        fail "$name, $beside: $score"
        jq -r '.tests[] | select(.status != "passed") | "  \(.name): \(.output | .[0:300])"' \
            "$json" 2>/dev/null | head -20
    elif ! jq -e '[.tests[] | select(.extra_data.cpu_margin_ok | not)] | length == 0' "$json" >/dev/null; then
        fail "$name: tests that give less than PROTO_COST_CHECKED times the CPU the solution used (declare a larger .timeout):"
        jq -r '.tests[] | select(.extra_data.cpu_margin_ok | not) | "  \(.name): the solution used \(.extra_data.body_cpu_seconds) s"' "$json"
    else
        ok "$name, $beside: $score, full marks, every CPU allowance at least PROTO_COST_CHECKED times the solution's"
    fi
done

# 2. Inherited limits: full marks, or one line that names the limit.
limited() { # name ulimit-args lesson
    local name=$1 limits=$2 lesson=$3 json=$out/$1.json status=0
    (ulimit $limits; "$grade" --submission "$root/solutions" --lesson "$lesson" --jobs 2 \
        --json "$json" >"$out/$name.txt" 2>&1) || status=$?
    if jq -e '.score == .max_score and .max_score > 0' "$json" >/dev/null 2>&1; then
        ok "$name (ulimit $limits), lesson $lesson: full marks"
    elif [ "$status" = 2 ] && grep -q "limit (ulimit -H .*) is too small" "$out/$name.txt"; then
        ok "$name (ulimit $limits), lesson $lesson: refused in one line: $(grep -m1 'too small' "$out/$name.txt")"
    else
        fail "$name (ulimit $limits), lesson $lesson: status $status, $(jq -r '"\(.score)/\(.max_score)"' "$json" 2>/dev/null)"
        tail -5 "$out/$name.txt"
    fi
}
limited file-size "-f 65536" 06
limited virtual-memory "-v 4000000" 01
limited virtual-memory-asan "-v 4000000" 05
limited file-size-too-small "-f 8192" 01
grep -q "file size limit (ulimit -H -f 8192) is too small" "$out/file-size-too-small.txt" \
    && ok "a file size limit too small is named with its value" \
    || fail "a file size limit too small is not named"
[ "$failed" = 0 ] && echo "load and limits: every grading got full marks or named its limit"
exit "$failed"
