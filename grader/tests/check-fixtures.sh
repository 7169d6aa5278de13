#!/usr/bin/env bash
# The grader's own tests: it grades fixture submissions of a tiny course
# (grader/tests/course, one exercise worth 4 points) and each must get its
# exact score, with the explanation it must show.
# Usage: check-fixtures.sh OUT_DIR JOBS
set -euo pipefail
out=$1 jobs=${2:-2}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
grade=$("$root/grader/build-dir" --absolute)/grader/grade
course=$here/course
rm -rf "$out" && mkdir -p "$out"

# fifo_xml and symlink_logs reach the run folder by `../..` paths, which the
# file guard now refuses (its *at calls included): their FIFO and links are
# never made, so the leak is explained from its real report, and the killed
# harness restarts on its own logs. The grader's own defences against a
# FIFO or a link (openat2 without links, regular files only) stay in place.
# fixture | expected score of 4 | text the explanations must contain | text they must not contain
expectations=$(cat <<'TABLE'
honest|4||
leaking|3|16 bytes|
uninitialised|3.5|initialised|
overflowing|3|past the end|
crashing|2|segmentation fault|
hanging|3|timed out|
exit0|1|exit(0)|
underscore_exit|1|_exit(0)|
forging|1|values[1] is wrong|
not_compiling|0|did not build|
missing_function|0|linking|
constructor|0|constructor|
client_request|0|inline assembly|
defines_main|0|main|
own_test|0|attribute|
kills_runner|3|was killed|
fork_bomb|3|counting/sums|
output_flood|3|SIGXFSZ|
memory_bomb|3|counting/sums|
missing_file|0|missing|
ifunc|0|ifunc|
interposes_strcmp|0|strcmp|
section_asm|0|section|
line_directive|0|#line|
not_allowed_call|0|dlopen|
forged_done|1|values[1] is wrong|
forged_end_pause|2|blocked|
proc_mem|1|values[1] is wrong|PWNED
xml_swap|3|16 bytes|
fifo_xml|3|16 bytes|
symlink_logs|0|was killed|CANARY
daemon_pipe|4||
tmp_leftovers|4||
looping|0|timed out|
spinning|4||
token_scan|1||
exec_page|1||EXECUTABLE
asan_unpoison|0|sanitizers' own interface|
self_include|0|neither a system header|
symlinked_file|0|symbolic link|
host_view|3|1 + 2 + 3 must be 6|
sanitizer_macro|0|defines the macro|
stack_forging|3|timed out|Stopped
TABLE
)

# What no submission may touch: a root-only file and an unrelated process.
privileged=false
if [ "$(id -u)" = 0 ]; then
    privileged=true
    printf 'CANARY: root-only, must never change nor be shown\n' >/root/grader-canary
    chmod 600 /root/grader-canary
    canary_sum=$(sha256sum </root/grader-canary)
fi
# Without root, or where the machine refuses namespaces, there is no
# allowlist of the host: the fixture that looks past it sees the host, as
# the README says.
sandboxed=false
$privileged && unshare --mount --net --ipc true 2>/dev/null && sandboxed=true
$sandboxed || expectations=$(sed 's/^host_view|3|.*/host_view|4||/' <<<"$expectations")
setsid sleep 900 </dev/null >/dev/null 2>&1 &
canary_pid=$!

grade_fixture() { # name expected text absent
    local name=$1 want=$2 text=$3 absent=$4 json=$out/$1.json
    # Its CPU, the grader's and everything it waited for: the budget check
    # below reads it for looping and spinning. The grader's pid is kept: its
    # sandboxes' uids derive from it (the shell records itself, then
    # becomes the grader).
    /usr/bin/time -f '%U %S' -o "$out/$name.cpu" \
        bash -c 'echo $$ >>"$0"; exec "$@"' "$out/grader.pids" \
        "$grade" --course "$course" --submission "$here/fixtures/$name" --jobs 1 \
        --json "$json" >"$out/$name.txt" 2>"$out/$name.err" || true
    local got
    got=$(jq -r '.score' "$json" 2>/dev/null || echo "no results.json")
    if [ "$got" != "$want" ] && [ "$got" != "$want.0" ]; then
        echo "FAIL $name: score $got, expected $want"; return
    fi
    if [ -n "$text" ] && ! jq -r '.output, .tests[].name, .tests[].output' "$json" | grep -qF -- "$text"; then
        echo "FAIL $name: no explanation containing '$text'"; return
    fi
    if [ -n "$absent" ] && grep -qF -- "$absent" "$json" "$out/$name.txt"; then
        echo "FAIL $name: the report shows '$absent'"; return
    fi
    echo "ok   $name: $got/4"
}
export -f grade_fixture
export out here grade course

echo "$expectations" | xargs -P "$jobs" -d '\n' -I{} bash -c \
    'IFS="|" read -r n w t a <<<"$1"; grade_fixture "$n" "$w" "$t" "$a"' _ {} | sort | tee "$out/summary.txt"

# Graded twice, the same scores.
"$grade" --course "$course" --submission "$here/fixtures/leaking" --jobs 1 --json "$out/again.json" >/dev/null 2>&1 || true
if jq -S '[.score, [.tests[] | .score]]' "$out/leaking.json" | cmp -s - <(jq -S '[.score, [.tests[] | .score]]' "$out/again.json"); then
    echo "ok   graded twice: same scores" | tee -a "$out/summary.txt"
else
    echo "FAIL graded twice: scores differ" | tee -a "$out/summary.txt"
fi

# A lesson that does not exist: exit status 2, and still a results.json.
status=0
"$grade" --course "$course" --lesson 42 --json "$out/missing_lesson.json" >/dev/null 2>&1 || status=$?
if [ "$status" = 2 ] && jq -e '.score == 0 and (.extra_data.error | test("no lesson .42."))' "$out/missing_lesson.json" >/dev/null; then
    echo "ok   missing lesson: exit 2, results.json explains" | tee -a "$out/summary.txt"
else
    echo "FAIL missing lesson: status $status" | tee -a "$out/summary.txt"
fi

# --fast (AddressSanitizer, no Valgrind) catches the same kinds of bug.
for case in honest:4 leaking:3 overflowing:2; do
    name=${case%%:*} want=${case#*:}
    "$grade" --fast --course "$course" --submission "$here/fixtures/$name" --jobs 1 \
        --json "$out/fast-$name.json" >/dev/null 2>&1 || true
    got=$(jq -r '.score' "$out/fast-$name.json" 2>/dev/null || echo none)
    if [ "$got" = "$want" ] || [ "$got" = "$want.0" ]; then
        echo "ok   --fast $name: $got/4" | tee -a "$out/summary.txt"
    else
        echo "FAIL --fast $name: score $got, expected $want" | tee -a "$out/summary.txt"
    fi
done

# Exit status: 0 for full marks, 1 otherwise.
"$grade" --course "$course" --submission "$here/fixtures/honest" --jobs 1 >/dev/null 2>&1 \
    && echo "ok   exit status 0 for full marks" | tee -a "$out/summary.txt" \
    || echo "FAIL exit status for full marks" | tee -a "$out/summary.txt"

# Whatever the submissions did, the machine is as it was.
check() { # description command...
    local what=$1; shift
    if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fi | tee -a "$out/summary.txt"
}
# A test stopped for its CPU allowance says where it was, in both modes: the
# looping function and its line (hanging loops in counting_sum, lines 19-20),
# from Valgrind's report of the stopping signal or from the sanitizer's
# unwinder on the harness's record pipe. One that ignores the signal and
# prints frames of its own (stack_forging) is stopped all the same, and no
# frame of its output is shown as where it was.
for name in hanging stack_forging; do
    "$grade" --fast --course "$course" --submission "$here/fixtures/$name" --jobs 1 \
        --json "$out/fast-$name.json" >/dev/null 2>&1 || true
done
stopped_at='Stopped at ([^ ]*/)?counting\.c:(19|20) in counting_sum\(\), called from counting_test\.c:[0-9]+ in '
for json in hanging.json fast-hanging.json; do
    check "$json: the timeout names counting_sum and its line" \
        bash -c "jq -r '.tests[].output' '$out/$json' | grep -qE '$stopped_at'"
done
check "fast-stack_forging.json: stopped, 3/4, no forged frame shown as where it was" \
    bash -c "jq -e '.score == 3' '$out/fast-stack_forging.json' >/dev/null \
             && ! grep -q Stopped '$out/fast-stack_forging.json'"

check "an unrelated process is alive" kill -0 "$canary_pid"
kill "$canary_pid" 2>/dev/null || true
if $privileged; then
    check "the root-only canary file is intact" [ "$(sha256sum </root/grader-canary)" = "$canary_sum" ]
    # A grading with pid P runs its sandboxes as uids 3000000 + 256 P + k.
    check "no process of the fixtures' sandbox uids is left" bash -c "ps -eo uid= | awk '
        NR == FNR { lo[\$1] = 3000000 + 256 * \$1; next }
        { for (p in lo) if (\$1 >= lo[p] && \$1 < lo[p] + 256) found = 1 }
        END { exit found }' '$out/grader.pids' -"
    check "nothing left in /tmp, /dev/shm or /var/tmp" \
        bash -c '! ls -d /{tmp,dev/shm,var/tmp}/grader-fixture-leftover 2>/dev/null'
    check "no System V shared memory left (own IPC namespace)" \
        bash -c '! ipcs -m | grep -qi 0x67726164'
fi
# Time is CPU time (grader/include/course_protocol.h): code that loops in
# every function, or spins just under every test's limit, costs at most the
# lesson's CPU budget, plus compiling. Measured as CPU, so that a busy
# machine does not fail this check.
lesson_cpu=$(awk '$2 == "PROTO_LESSON_CPU_S" { print $3 }' "$root/grader/include/course_protocol.h")
for name in looping spinning; do
    # Measured when the table above graded it. The last line: /usr/bin/time writes "Command exited with non-zero
    # status" first when the grading exits 1.
    cpu=$(tail -n 1 "$out/$name.cpu" | awk '{ print $1 + $2 }')
    check "$name: graded in $cpu s of CPU, within the lesson's budget ($lesson_cpu s) and 15 s to build" \
        awk -v cpu="$cpu" -v budget="$lesson_cpu" 'BEGIN { exit !(cpu <= budget + 15) }'
done

# A bad command line still gets its results.json.
status=0
"$grade" --course "$course" --no-such-option --json "$out/bad_option.json" >/dev/null 2>&1 || status=$?
check "a bad option: exit 2, and results.json explains" \
    bash -c "[ $status = 2 ] && jq -e '.score == 0 and (.extra_data.error | test(\"bad command line\"))' '$out/bad_option.json' >/dev/null"

# Learner code cannot read the course's solutions (hidden by a mount
# namespace when the grader is root and the machine allows namespaces).
if $privileged && grep -q "course hidden" "$out/honest.err"; then
    mkdir -p "$out/gen/includes_solution/01-fixture"
    printf '#include "%s/solutions/01-fixture/counting.c"\n' "$(cd "$course" && pwd -P)" \
        >"$out/gen/includes_solution/01-fixture/counting.c"
    "$grade" --course "$course" --submission "$out/gen/includes_solution" --jobs 1 \
        --json "$out/includes_solution.json" >/dev/null 2>&1 || true
    check "a submission that includes the solution by its path gets 0" \
        bash -c "jq -e '.score == 0 and ([.tests[].output] | join(\" \") | test(\"No such file\"))' \
                 '$out/includes_solution.json' >/dev/null"
fi

# Two gradings started at once, with no grader built yet: both succeed. In a
# build folder of their own: the grader of this checkout's build folder may
# be running in another step of `make -j test`.
for i in 1 2; do
    BUILD=$out/fresh-build BUILD_FOR=$root "$root/grader/grade" --course "$course" --submission "$here/fixtures/honest" --jobs 1 \
        --json "$out/together-$i.json" >/dev/null 2>&1 &
done
wait
check "two gradings started at once both succeed" \
    bash -c "jq -e '.score == 4' '$out/together-1.json' '$out/together-2.json' >/dev/null"

failed=$(grep -c '^FAIL' "$out/summary.txt" || true)
echo "grader fixtures: $(grep -c '^ok' "$out/summary.txt") passed, $failed failed"
[ "$failed" -eq 0 ]
