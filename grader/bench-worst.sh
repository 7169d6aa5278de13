#!/usr/bin/env bash
# make bench-worst: the worst submission the grader can meet, timed.
#
# Every function of every exercise loops forever: each shipped stub gets an
# endless loop at the top of each function body. The whole course is graded
# under Valgrind as `make check` would, and the wall and CPU time are
# printed per lesson and in total against the budgets (one lesson <= 60 s
# of CPU, the whole course <= 180 s on 2 idle cores). The grader's own
# limits count CPU time (grader/include/course_protocol.h), so the CPU
# figures do not depend on how busy the machine is; the wall ones do.
# Usage: bench-worst.sh OUT_DIR
set -euo pipefail
out=$1
root=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$out" && mkdir -p "$out/sub"
cd "$root"
git archive HEAD exercises | tar -x -C "$out/sub"
# A function body starts with a "{" alone on its line (the course's style).
find "$out/sub/exercises" -name '*.c' -exec sed -i \
    's/^{$/{\n    for (volatile int spin_forever = 0;; spin_forever++)\n        ;/' {} +

jobs=$(nproc)
echo "== every function loops: whole course, under Valgrind, --jobs $jobs"
/usr/bin/time -f '%e %U %S' -o "$out/total.time" grader/grade --submission "$out/sub/exercises" \
    --jobs "$jobs" --json "$out/all.json" >"$out/all.txt" 2>"$out/all.err" || true
read -r total user sys < <(tail -n 1 "$out/total.time")
for lesson in $(grader/grade --describe | jq -r '.lessons[].slug'); do
    /usr/bin/time -f '%e %U %S' -o "$out/$lesson.time" grader/grade --submission "$out/sub/exercises" \
        --lesson "$lesson" --jobs "$jobs" --json "$out/$lesson.json" >/dev/null 2>&1 || true
    read -r wall u s < <(tail -n 1 "$out/$lesson.time")
    printf '%-22s %6.1f s wall, %6.1f s CPU  (%s points of %s)\n' "$lesson" "$wall" \
        "$(echo "$u + $s" | bc)" "$(jq .score "$out/$lesson.json")" "$(jq .max_score "$out/$lesson.json")"
done | tee "$out/summary.txt"
printf 'whole course           %6.1f s wall, %6.1f s CPU  (%s points of %s); budget: 180 s on 2 idle cores, 60 s of CPU a lesson\n' \
    "$total" "$(echo "$user + $sys" | bc)" "$(jq .score "$out/all.json")" "$(jq .max_score "$out/all.json")" \
    | tee -a "$out/summary.txt"
