#!/usr/bin/env bash
# Proves the tests catch typical learner bugs: every mutant
# (lessons/NN-slug/mutants/EXERCISE/BUG.patch, one planted bug as a patch
# against the solution) is graded in place of its solution and must lose
# points. A patch that no longer applies fails too: mutants cannot go stale.
# Usage: check-mutants.sh OUT_DIR JOBS
set -euo pipefail
out=$1 jobs=${2:-2} only=${3:-}   # only: a lesson slug, to check just its mutants
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$out" && mkdir -p "$out"

grade_mutant() { # mutant path -> prints "caught|MISSED name score/max"
    local mutant=$1 lesson exercise bug dir
    lesson=$(basename "$(dirname "$(dirname "$(dirname "$mutant")")")")
    exercise=$(basename "$(dirname "$mutant")")
    bug=$(basename "$mutant" .patch)
    dir=$out/$lesson--$exercise--$bug
    mkdir -p "$dir/sub"
    cp -r "$root/solutions/$lesson" "$dir/sub/"
    if ! patch -s -o "$dir/sub/$lesson/$exercise.c" "$root/solutions/$lesson/$exercise.c" \
            <"$mutant" >"$dir/patch.txt" 2>&1; then
        echo "STALE  $lesson/$exercise/$bug (the patch no longer applies to the solution)"
        return
    fi
    "$root/grader/grade" --submission "$dir/sub" --lesson "$lesson" --exercise "$exercise" \
        --jobs 1 --json "$dir/result.json" >"$dir/report.txt" 2>"$dir/stderr.txt" || true
    if jq -e '.max_score > 0 and .score < .max_score' "$dir/result.json" >/dev/null 2>&1; then
        echo "caught $lesson/$exercise/$bug $(jq -r '"\(.score)/\(.max_score)"' "$dir/result.json")"
    else
        echo "MISSED $lesson/$exercise/$bug $(jq -r '"\(.score)/\(.max_score)"' "$dir/result.json" 2>/dev/null)"
    fi
}
export -f grade_mutant
export out root

mapfile -t mutants < <(find "$root/lessons/${only}"* -path '*/mutants/*/*.patch' | sort)
[ ${#mutants[@]} -gt 0 ] || { echo "mutants: none found"; exit 1; }
printf '%s\n' "${mutants[@]}" | xargs -P "$jobs" -I{} bash -c 'grade_mutant "$@"' _ {} \
    | sort | tee "$out/summary.txt"
missed=$(grep -c '^MISSED\|^STALE' "$out/summary.txt" || true)
echo "mutants: $(( ${#mutants[@]} - missed )) of ${#mutants[@]} caught"
[ "$missed" -eq 0 ]
