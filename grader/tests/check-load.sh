#!/usr/bin/env bash
# Same code, same grade: the grade does not depend on how busy the machine
# is, nor on the resource limits the grader inherits.
#  1. GRADINGS whole-course gradings of the reference solutions run at once
#     beside LOOPS busy loops (on a 2-core machine: a load of about 3 per
#     core); every one must get full marks.
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

loop_pids=()
stop_loops() { [ ${#loop_pids[@]} -eq 0 ] || kill "${loop_pids[@]}" 2>/dev/null || true; }
trap stop_loops EXIT
for _ in $(seq "$loops"); do
    bash -c 'while :; do :; done' &
    loop_pids+=($!)
done

# 1. Several whole-course gradings at once, beside the busy loops.
grading_pids=()
for i in $(seq "$gradings"); do
    "$grade" --submission "$root/solutions" --jobs 2 --json "$out/busy-$i.json" \
        >"$out/busy-$i.txt" 2>&1 &
    grading_pids+=($!)
done
for pid in "${grading_pids[@]}"; do wait "$pid" || true; done
stop_loops
loop_pids=()
for i in $(seq "$gradings"); do
    score=$(jq -r '"\(.score)/\(.max_score)"' "$out/busy-$i.json" 2>/dev/null || echo "no results")
    if jq -e '.score == .max_score and .max_score > 0' "$out/busy-$i.json" >/dev/null 2>&1; then
        ok "busy machine, grading $i of $gradings beside $loops busy loops: $score"
    else
        fail "busy machine, grading $i of $gradings: $score"
        jq -r '.tests[] | select(.status != "passed") | "  \(.name): \(.output | .[0:300])"' \
            "$out/busy-$i.json" 2>/dev/null | head -20
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
