#!/usr/bin/env bash
# The learner's loop, as a learner meets it: every target of the Makefile's
# learner block, run from a fresh clone of this checkout.
#
#   grader/tests/check-learner-loop.sh OUT_DIR
#
# The clone is made with `git clone`, then this checkout's uncommitted course
# files are laid over it and committed (never exercises/: the clone keeps
# the shipped stubs whatever a learner has done here). `make watch` is
# tested with a fake editor that saves a file the way editors do (write a
# temporary file, rename it over the old one; or rewrite it in place), under
# a time limit, with inotify and with the polling fallback.
#
# Prints one line per check and "N passed, M failed" last; exits 1 if any
# check failed.
set -uo pipefail

out=${1:?usage: check-learner-loop.sh OUT_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out" && out=$(cd "$out" && pwd)
clone=$out/clone
log=$out/log
rm -rf "$clone" "$log" && mkdir -p "$log"
passed=0 failed=0

ok() { echo "ok   $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/     | /' "$2" | tail -n 25; failed=$((failed + 1)); }

# run NAME CMD...: runs CMD in the clone (no TTY, no colour, not CI),
# stdout to $log/NAME.out, stderr to $log/NAME.err, status in $status.
run() {
    local name=$1; shift
    (cd "$clone" && env -u CI -u NO_COLOR -u MAKEFLAGS -u MAKELEVEL timeout 300 "$@") \
        >"$log/$name.out" 2>"$log/$name.err" </dev/null
    status=$?
}
has() { grep -qF -- "$2" "$log/$1.out"; }

command -v inotifywait >/dev/null || {
    echo "FAIL inotifywait is missing: apt-get install inotify-tools (the Makefile's PACKAGES"
    echo "     lists it; remove build/.deps to let make install it)"; exit 1; }

# --- A fresh clone ---------------------------------------------------------
git clone -q "$root" "$clone" || { echo "FAIL git clone"; exit 1; }
(
    cd "$root" || exit 1
    { git ls-files -m; git ls-files -o --exclude-standard; } | grep -v '^exercises/' | sort -u \
        | while IFS= read -r f; do
            if [ -e "$f" ]; then mkdir -p "$clone/$(dirname "$f")" && cp -p "$f" "$clone/$f"; fi
        done
)
git -C "$clone" add -A && git -C "$clone" -c user.name=test -c user.email=test@localhost \
    commit -qm "this checkout's uncommitted course files" >/dev/null 2>&1
ex01=$clone/exercises/01-stack-frames
# The course's first exercise, the one list and next point at before any work.
first=$(jq -r '.exercises[0]' "$clone/lessons/01-stack-frames/lesson.json")

# --- list and next, before any work ----------------------------------------
run list0 make -s list
if [ $status = 0 ] && has list0 "-> $first" && has list0 'not started' \
    && has list0 '01-stack-frames: ' && has list0 '0 of '
then ok "make list: every exercise not started, $first first"
else bad "make list" "$log/list0.out"; fi

run next0 make -s next
if [ $status = 0 ] && has next0 "$first" && has next0 "exercises/01-stack-frames/$first.c" \
    && has next0 "exercises/01-stack-frames/$first.h" && has next0 'section "'
then ok "make next: $first, its file, header and section"
else bad "make next" "$log/next0.out"; fi

run next02 make -s next LESSON=02
if [ $status = 0 ] && has next02 'strstack'; then ok "make next LESSON=02: strstack"
else bad "make next LESSON=02" "$log/next02.out"; fi

run nextvec make -s next EXERCISE=vector
if [ $status = 0 ] && has nextvec 'exercises/02-heap/vector.c'; then ok "make next EXERCISE=vector alone finds its lesson"
else bad "make next EXERCISE=vector" "$log/nextvec.out"; fi

run nope make -s list EXERCISE=nope
if [ $status != 0 ] && grep -qF "no exercise 'nope'" "$log/nope.err"; then ok "an unknown EXERCISE is named"
else bad "make list EXERCISE=nope: status $status" "$log/nope.err"; fi

run vectr make -s check EXERCISE=vectr
if [ $status != 0 ] && grep -qF "no exercise 'vectr'; did you mean 'vector'?" "$log/vectr.err"; then
    ok "a mistyped EXERCISE gets the grader's did-you-mean"
else bad "make check EXERCISE=vectr: status $status" "$log/vectr.err"; fi

# --- check: scoped, saved, no make error for a failing grade ----------------
run fast0 make -s check-fast EXERCISE=addr_text
if [ $status = 0 ] && ! grep -q 'make: \*\*\*' "$log/fast0.out" "$log/fast0.err" \
    && tail -n 1 "$log/fast0.out" | grep -q '^next: fix addr_text' \
    && has fast0 'addr_text' && ! has fast0 'stack_growth'
then ok "make check-fast EXERCISE=addr_text: only addr_text, exit 0, no make error, ends with next:"
else bad "make check-fast EXERCISE=addr_text: status $status" "$log/fast0.out"; fi

if jq -e '.exercises | keys == ["01-stack-frames/addr_text"]' "$clone/.progress.json" >/dev/null 2>&1 \
    && jq -e '.exercises["01-stack-frames/addr_text"].last | .score == 0 and .max > 0 and .mode == "fast"' \
        "$clone/.progress.json" >/dev/null
then ok ".progress.json: the graded exercise, its score and mode"
else bad ".progress.json after check-fast" "$clone/.progress.json"; fi

if [ -z "$(git -C "$clone" status --porcelain)" ]; then ok "progress and state files are git-ignored"
else git -C "$clone" status --porcelain >"$log/status.out"; bad "git status is not clean" "$log/status.out"; fi

run fastci env CI=1 make -s check-fast EXERCISE=addr_text
if [ $status != 0 ]; then ok "CI=1 make check-fast: a failing grade exits non-zero"
else bad "CI=1 make check-fast exited 0" "$log/fastci.out"; fi

if ! grep -q $'\033' "$log/fast0.out" "$log/list0.out"; then ok "no colour when output is not a terminal"
else bad "colour codes in piped output" "$log/fast0.out"; fi
(cd "$clone" && env -u NO_COLOR TERM=xterm timeout 60 script -qec "make -s list" /dev/null) >"$log/tty.out" 2>&1
(cd "$clone" && NO_COLOR=1 TERM=xterm timeout 60 script -qec "make -s list" /dev/null) >"$log/nocolor.out" 2>&1
if grep -q $'\033\[' "$log/tty.out" && ! grep -q $'\033\[' "$log/nocolor.out"; then
    ok "colour on a terminal, none with NO_COLOR"
else bad "colour on a terminal / NO_COLOR" "$log/tty.out"; fi

run fastl make -s check-fast LESSON=01
order=$(grep -E '^  [a-z_]+ +[0-9.]+/' "$log/fastl.out" | awk '{ print $1 }' | xargs)
want=$(cd "$clone" && jq -r '.exercises | join(" ")' lessons/01-stack-frames/lesson.json)
if [ $status = 0 ] && [ "$order" = "$want" ] && [ "$(grep -c '^01-stack-frames/.*tests fail' "$log/fastl.out")" = 1 ] \
    && grep -q "^01-stack-frames/$first: " "$log/fastl.out" && [ "$(grep -c '^next:' "$log/fastl.out")" = 1 ]
then ok "make check-fast LESSON=01: table in lesson order, details of the first failing exercise only, one next: line"
else bad "make check-fast LESSON=01: order '$order', want '$want'" "$log/fastl.out"; fi

run list1 make -s list
if has list1 'failing 0/'; then ok "make list: addr_text failing 0/N after a check"
else bad "make list after a check" "$log/list1.out"; fi

# --- hint -------------------------------------------------------------------
run hint1 make -s hint
run hint2 make -s hint
run hint3 make -s hint
run hint4 make -s hint
if has hint1 "Hint 1 of 3 for $first" && has hint2 'Hint 2 of 3' && has hint3 'Hint 3 of 3' \
    && has hint4 'Hint 3 of 3' && has hint4 'last hint'
then ok "make hint: one level more per call, the last one repeats"
else bad "make hint levels" "$log/hint4.out"; fi
run hintv make -s hint EXERCISE=vector LEVEL=1
if has hintv 'Hint 1 of 3 for vector'; then ok "make hint EXERCISE=vector LEVEL=1"
else bad "make hint EXERCISE=vector" "$log/hintv.out"; fi

# --- solution, locked ---------------------------------------------------------
run sol0 make -s solution EXERCISE=stack_growth
if [ $status = 0 ] && has sol0 'opens once' && ! has sol0 'stack_bytes_for_calls('; then
    ok "make solution: locked before a full pass"
else bad "make solution before a pass" "$log/sol0.out"; fi

# --- watch, inotify, a fake editor that renames over the file -----------------
# watch_until NAME PATTERN SECONDS: waits for PATTERN in the watch's output.
watch_until() {
    local i
    for ((i = 0; i < $3 * 5; i++)); do
        grep -qF -- "$2" "$log/$1.out" 2>/dev/null && return 0
        sleep 0.2
    done
    return 1
}
watch_start() { # NAME [env...]
    local name=$1; shift
    (cd "$clone" && exec setsid env -u CI -u MAKEFLAGS -u MAKELEVEL "$@" timeout 300 \
        make -s watch EXERCISE=stack_growth) >"$log/$name.out" 2>"$log/$name.err" </dev/null &
    watch_pid=$!
}
watch_stop() { kill -TERM -- "-$watch_pid" 2>/dev/null; wait "$watch_pid" 2>/dev/null; }

watch_start watch
if watch_until watch 'watching exercises/01-stack-frames/stack_growth.c (inotify)' 120 \
    && has watch 'stack_growth: watching since'; then
    ok "make watch: grades stack_growth at once, verdict first, then waits (inotify)"
    started=$(date +%s.%N)
    cp "$root/solutions/01-stack-frames/stack_growth.c" "$ex01/.stack_growth.c.swp"
    mv "$ex01/.stack_growth.c.swp" "$ex01/stack_growth.c"   # how vim saves
    if watch_until watch 'stack_growth: saved' 60; then
        ok "make watch: a save (rename over the file) starts a regrade within $(printf %.2f "$(echo "$(date +%s.%N) - $started" | bc)") s"
    else bad "make watch: no regrade after a save" "$log/watch.out"; fi
    if watch_until watch 'stack_growth is done' 180; then
        ok "make watch: a full fast pass is graded under Valgrind and marked done"
    else bad "make watch: no Valgrind grade after a full pass" "$log/watch.out"; fi
else bad "make watch did not start" "$log/watch.err"; fi
watch_stop
if [ "$(grep -c '^next:' "$log/watch.out")" = "$(grep -c '^watching ' "$log/watch.out")" ]; then
    ok "make watch: one next: line per verdict"
else bad "make watch: next: lines do not match verdicts" "$log/watch.out"; fi
# Watchers left in the clone: inotifywait or the polling loop of grader/learn.
leftovers() {
    local pid
    for pid in $(pgrep -x inotifywait; pgrep -f 'grader/learn watch'); do
        [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$clone" ] && echo "$pid"
    done
}
sleep 0.5
if [ -z "$(leftovers)" ]; then ok "make watch: stopping it leaves no watcher behind"
else bad "a watcher outlived make watch"; leftovers | xargs -r kill 2>/dev/null; fi

run list2 make -s list
if grep -q 'stack_growth *done' "$log/list2.out"; then ok "make list: stack_growth done"
else bad "make list after watch" "$log/list2.out"; fi

run sol1 make -s solution EXERCISE=stack_growth
if [ $status = 0 ] && has sol1 'stack_bytes_for_calls('; then ok "make solution: shown after a full pass"
else bad "make solution after a pass" "$log/sol1.out"; fi

run check1 make -s check EXERCISE=stack_growth
if [ $status = 0 ] && has check1 'done' && tail -n 1 "$log/check1.out" | grep -q '^next: every exercise'; then
    ok "make check EXERCISE=stack_growth (Valgrind): full marks, next: line last"
else bad "make check EXERCISE=stack_growth: status $status" "$log/check1.out"; fi

# --- watch, polling fallback, a fake editor that rewrites in place -------------
watch_start poll LEARN_WATCH=poll LEARN_POLL_INTERVAL=0.3
if watch_until poll 'polling every 0.3 s' 120; then
    printf '\n#error the fake editor broke the build\n' >>"$ex01/stack_growth.c"
    if watch_until poll 'stack_growth: saved' 60 && watch_until poll 'fake editor broke the build' 60; then
        ok "make watch, polling fallback: an in-place write regrades, the compiler's error shown"
    else bad "make watch, polling: no regrade" "$log/poll.out"; fi
else bad "make watch, polling: did not start" "$log/poll.err"; fi
watch_stop

# --- reset --------------------------------------------------------------------
run reset0 make -s reset
if [ $status != 0 ] && grep -qF 'EXERCISE=' "$log/reset0.err"; then ok "make reset without EXERCISE refuses"
else bad "make reset without EXERCISE" "$log/reset0.err"; fi
run reset1 make -s reset EXERCISE=stack_growth
backup=$(ls "$clone"/.learn/backups/01-stack-frames/stack_growth.c.* 2>/dev/null | head -n 1)
if [ $status = 0 ] && git -C "$clone" diff --quiet -- exercises/01-stack-frames/stack_growth.c \
    && [ -n "$backup" ] && grep -q 'fake editor' "$backup"
then ok "make reset EXERCISE=stack_growth: the shipped stub back, the learner's file backed up"
else bad "make reset EXERCISE=stack_growth" "$log/reset1.out"; fi
run list3 make -s list
if grep -q 'stack_growth *not started' "$log/list3.out"; then ok "make list after reset: not started again"
else bad "make list after reset" "$log/list3.out"; fi

echo "learner-loop: $passed passed, $failed failed"
[ "$failed" = 0 ]
