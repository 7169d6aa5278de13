#!/bin/sh
# Regenerates the memcheck XML fixtures from the buggy programs in src/.
#
# Each program is built as learner code is (-g -O0) and run under the
# Valgrind options the grader uses, one XML file per process. Absolute build
# paths are replaced with /course so that the fixtures do not depend on the
# machine; everything else is Valgrind 3.19's own output.
# Run from anywhere: sh grader/tests/vgxml/regen.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

vg_flags="--xml=yes --leak-check=full --track-origins=yes"

# Replaces machine-specific directories in report $1, writes fixture $2.
store() {
    sed -e "s|$root|/course|g" -e "s|$tmp|/course/build|g" "$1" >"$here/$2"
}

# run_one OUT PROG [VALGRIND FLAGS...]: builds src/PROG.c (or .cpp), runs
# it under Valgrind, stores its report as OUT.xml.
run_one() {
    out=$1
    prog=$2
    shift 2
    if [ -f "$here/src/$prog.cpp" ]; then
        g++ -g -O0 -w -o "$tmp/$prog" "$here/src/$prog.cpp"
    else
        gcc -std=c11 -g -O0 -w -o "$tmp/$prog" "$here/src/$prog.c"
    fi
    (cd "$tmp" && valgrind $vg_flags "$@" --xml-file="$tmp/$out.%p.xml" \
        "./$prog" >/dev/null 2>&1) || true
    store "$(ls "$tmp/$out".*.xml)" "$out.xml"
}

for prog in invalid_write use_after_free double_free free_nonheap \
    uninit_heap uninit_stack leaks overlap stack_dangling stack_overflow \
    syscall_param invalid_jump fishy mismatched strlen_unterminated; do
    run_one "$prog" "$prog"
done
# The grader shows only definite and possible leaks; these show every kind.
run_one leaks_all leaks --show-leak-kinds=all
run_one still_reachable still_reachable --show-leak-kinds=all

# A Criterion worker, built the way the grader builds a submission.
gcc -std=c11 -g -O0 -c -o "$tmp/strbuild.o" "$here/src/strbuild.c"
objcopy --redefine-syms="$root/grader/harness/learner.syms" "$tmp/strbuild.o"
gcc -std=c11 -g -O0 -I"$root/grader/include" -o "$tmp/strbuild_test" \
    "$here/src/strbuild_test.c" "$tmp/strbuild.o" \
    "$root/grader/harness/alloc_faults.c" "$root/grader/harness/exit_guard.c" \
    -lcriterion
mkdir "$tmp/cr"
(cd "$tmp" && valgrind --trace-children=yes $vg_flags \
    --xml-file="$tmp/cr/%p.xml" ./strbuild_test -j1 >/dev/null 2>&1) || true
store "$(grep -l str_concat "$tmp"/cr/*.xml | head -n 1)" criterion_worker.xml

# Reports cut in the middle of an error, as when the process is killed while
# Valgrind writes: the errors before the cut are whole, the cut one is not.
awk '/<error>/ { n++ } n == 2 && /<\/stack>/ { print; exit } { print }' \
    "$here/free_nonheap.xml" >"$here/truncated.xml"
awk '/<error>/ { n++ } n == 2 && /<\/stack>/ { print; exit } { print }' \
    "$here/leaks.xml" >"$here/truncated_leaks.xml"

printf 'this is not XML {\n' >"$here/not_xml.xml"
