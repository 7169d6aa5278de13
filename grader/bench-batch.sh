#!/usr/bin/env bash
# make bench-batch: grades a generated class with grader/batch and prints
# submissions per minute and CPU seconds per submission.
# The class mixes, in turn: perfect (the solutions), leaky (one solution
# with a planted leak, a mutant of lesson 02), not compiling (one file
# broken), looping (an endless loop in strstack_push, so its tests run
# into their deadlines). Every submission is the whole course.
# CPU seconds are those of every process that grader/batch waited for
# (/usr/bin/time), so of every grading here; with --sshlogin, only local ones.
# Usage: bench-batch.sh OUT_DIR N [grader/batch options, e.g. --sshlogin]
set -euo pipefail
out=$1 n=${2:-6}
shift 2 || true
root=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$out" && mkdir -p "$out/class"
out=$(cd "$out" && pwd)

kinds=(perfect leaky not_compiling looping)
leak=$root/lessons/02-heap/mutants/strstack/free_forgets_struct.patch
for ((i = 0; i < n; i++)); do
    kind=${kinds[i % 4]}
    s=$out/class/$(printf '%03d' "$i")-$kind
    mkdir -p "$s"
    cp -R "$root"/solutions/* "$s/"
    case $kind in
    leaky) patch -s "$s/02-heap/strstack.c" <"$leak" ;;
    not_compiling) echo 'this line is not C' >>"$s/02-heap/vector.c" ;;
    looping) sed -i '/^int strstack_push(/,/^{/ s/^{$/{\n    for (;;) {\n    }/' "$s/02-heap/strstack.c"
             grep -q 'for (;;)' "$s/02-heap/strstack.c" ;;
    esac
done

"$root/grader/grade" --help >/dev/null # builds it, before the clock starts
echo "bench-batch: $n submissions (${kinds[*]}, in turn), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f '%e %U %S' -o "$out/time.txt" \
    "$root/grader/batch" --no-bar "$@" "$out/class" "$out/graded" >"$out/batch.log" 2>&1 || true
if [ ! -s "$out/graded/gradebook.csv" ]; then
    echo "bench-batch: grader/batch wrote no gradebook:"; tail -5 "$out/batch.log"; exit 1
fi
read -r wall user sys < <(tail -1 "$out/time.txt")
for kind in "${kinds[@]}"; do
    rows=$(grep -c -- "-$kind\"," "$out/graded/gradebook.csv" || true)
    [ "$rows" -gt 0 ] || continue
    echo "  $kind: $(grep -- "-$kind\"," "$out/graded/gradebook.csv" | cut -d, -f2,3,4 | sort | uniq -c | xargs)" \
         "avg $(cat "$out"/graded/*-"$kind"/host | awk -F'\t' '{ s += $3 } END { printf "%.0f", s / NR }') s each"
done
awk -v n="$n" -v wall="$wall" -v cpu="$(echo "$user + $sys" | bc)" 'BEGIN {
    printf "bench-batch: %d submissions in %.0f s: %.2f submissions per minute, %.1f CPU s per submission\n",
           n, wall, n * 60 / wall, cpu / n }'
not_graded=$(grep -vc '^"student"\|,"graded",' "$out/graded/gradebook.csv" || true)
[ "$not_graded" = 0 ] || { echo "bench-batch: $not_graded submissions failed to grade (see $out)"; exit 1; }
