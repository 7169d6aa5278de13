#!/usr/bin/env bash
# Proves the tests judge right, both ways:
#  - every mutant (lessons/NN-slug/mutants/EXERCISE/BUG.patch, one planted
#    bug as a patch against the solution) must lose points;
#  - every variant (lessons/NN-slug/variants/EXERCISE/NAME.patch, a correct
#    implementation that differs from the solution: another layout, order,
#    growth factor or libc helper) must get full marks.
# Each is graded in place of its solution. A patch that no longer applies
# fails too: neither can go stale. A grader error fails the check too.
# Usage: check-mutants.sh OUT_DIR JOBS [LESSON_SLUG]
set -euo pipefail
out=$1 jobs=${2:-2} only=${3:-}   # only: a lesson slug, to check just its patches
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$out" && mkdir -p "$out"

grade_patch() { # patch path -> prints "caught|MISSED|full|LOST kind/lesson/exercise/name score/max"
    local patch=$1 kind lesson exercise name dir verdict
    kind=$(basename "$(dirname "$(dirname "$patch")")")   # mutants or variants
    lesson=$(basename "$(dirname "$(dirname "$(dirname "$patch")")")")
    exercise=$(basename "$(dirname "$patch")")
    name=$(basename "$patch" .patch)
    dir=$out/$kind--$lesson--$exercise--$name
    mkdir -p "$dir/sub"
    cp -r "$root/solutions/$lesson" "$dir/sub/"
    if ! patch -s -o "$dir/sub/$lesson/$exercise.c" "$root/solutions/$lesson/$exercise.c" \
            <"$patch" >"$dir/patch.txt" 2>&1; then
        echo "STALE  $kind/$lesson/$exercise/$name (the patch no longer applies to the solution)"
        return
    fi
    # A mutant needs only to lose points: its exercise stops at the first
    # test that fails (--until-lost), which halves the time; a variant is
    # graded in full.
    local until=()
    [ "$kind" = mutants ] && until=(--until-lost)
    local status=0
    "$root/grader/grade" --submission "$dir/sub" --lesson "$lesson" --exercise "$exercise" \
        "${until[@]}" --jobs 1 --json "$dir/result.json" >"$dir/report.txt" 2>"$dir/stderr.txt" \
        || status=$?
    local score
    score=$(jq -r '"\(.score)/\(.max_score)"' "$dir/result.json" 2>/dev/null || echo "no result")
    # A grader error (exit 2) proves nothing either way: its zero is not a
    # catch.
    if [ "$status" -ge 2 ]; then
        verdict=ERROR
    elif [ "$kind" = mutants ]; then
        jq -e '.max_score > 0 and .score < .max_score' "$dir/result.json" >/dev/null 2>&1 \
            && verdict=caught || verdict=MISSED
    else
        jq -e '.max_score > 0 and .score == .max_score' "$dir/result.json" >/dev/null 2>&1 \
            && verdict=full || verdict=LOST
    fi
    echo "$verdict $kind/$lesson/$exercise/$name $score$([ "$status" -ge 2 ] && echo " (grader error: $(tail -n 1 "$dir/stderr.txt"))")"
}
export -f grade_patch
export out root

mapfile -t patches < <(find "$root/lessons/${only}"* \( -path '*/mutants/*/*.patch' \
                            -o -path '*/variants/*/*.patch' \) | sort)
[ ${#patches[@]} -gt 0 ] || { echo "mutants: none found"; exit 1; }
printf '%s\n' "${patches[@]}" | xargs -P "$jobs" -I{} bash -c 'grade_patch "$@"' _ {} \
    | sort | tee "$out/summary.txt"
n_mutants=$(grep -c ' mutants/' "$out/summary.txt" || true)
n_variants=$(grep -c ' variants/' "$out/summary.txt" || true)
bad=$(grep -c '^MISSED\|^STALE\|^LOST\|^ERROR' "$out/summary.txt" || true)
echo "mutants: $(grep -c '^caught' "$out/summary.txt" || true) of $n_mutants caught;" \
     "variants: $(grep -c '^full' "$out/summary.txt" || true) of $n_variants at full marks"
[ "$bad" -eq 0 ]
