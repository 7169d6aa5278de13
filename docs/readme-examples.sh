#!/usr/bin/env bash
# The README's generated blocks: the apt-get line (from the Makefile's package
# lists) and the learner's examples (what the commands print today).
#
#   docs/readme-examples.sh --update OUT_DIR   rewrite README.md's blocks (`make readme`)
#   docs/readme-examples.sh --check OUT_DIR    fail when README.md differs (`make test-readme`)
#
# A block sits between two HTML comments (GitHub and Doxygen show neither):
#
#   <!-- generated: NAME (docs/readme-examples.sh; `make readme` rewrites it) -->
#   ...
#   <!-- end generated: NAME -->
#
# Everything between them is this script's: edit the script, not the block.
# Everything outside them is prose that people write; the script never
# touches it.
#
# How the examples are made: a scratch clone of this checkout (its
# uncommitted course files laid over it, never exercises/) in
# OUT_DIR/c-memory-model, where the script does what the README tells a
# learner, on one small exercise, the course's first:
#   make list, make next                 fresh, nothing done
#   make watch                           running; a first try is saved (the
#                                        solution with the mutant
#                                        count_returns_old_value), then the fix
#   make hint                            while the first try fails
#   CI=1 make check EXERCISE=...         make's exit status for a failing grade
#   make list LESSON=01, make check ...  once it passes
# The clone's path is printed as ~/c-memory-model. --check compares each
# block after normalising what truly varies from run to run and machine to
# machine: clock times, durations, pointer values, the job count and the
# sandbox line (root or not, namespaces or not). Nothing else.
#
# Cost: a handful of gradings of one 8-point exercise and a cold grader
# build in the clone, about 40 s of CPU.
set -uo pipefail

mode=${1:-} out=${2:-}
case $mode in --update|--check) ;; *) echo "usage: readme-examples.sh --update|--check OUT_DIR" >&2; exit 2 ;; esac
[ -n "$out" ] || { echo "usage: readme-examples.sh --update|--check OUT_DIR" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
readme=$root/README.md
mkdir -p "$out" && out=$(cd "$out" && pwd)
clone=$out/c-memory-model
blocks=$out/blocks
log=$out/log
# shellcheck disable=SC2088 # printed, never expanded
shown_root="~/c-memory-model"
rm -rf "$clone" "$blocks" "$log" && mkdir -p "$blocks" "$log"

die() { echo "readme-examples: $*" >&2; exit 1; }

# --- The course's first exercise, its first try and its fix -------------------
first_lesson=$(cd "$root/lessons" && find . -maxdepth 1 -name '[0-9][0-9]-*' -printf '%f\n' | sort | head -n 1)
ex=$(jq -r '.exercises[0]' "$root/lessons/$first_lesson/lesson.json") || die "cannot read lesson.json"
mutant=$root/lessons/$first_lesson/mutants/$ex/count_returns_old_value.patch
[ -f "$mutant" ] || die "the first try is the mutant $mutant, which is gone: choose another in this script"

# --- apt-get: the Makefile's package lists --------------------------------------
packages() { # VARIABLE: its value in the Makefile
    # shellcheck disable=SC2016 # $(...) is make's, in make's text
    make --no-print-directory -s -C "$root" -f Makefile \
        -f <(printf 'readme-print-%s:\n\t@echo $(%s)\n' "$1" "$1") "readme-print-$1"
}
wrap_apt() { # words...: one apt-get command, wrapped at 80 columns
    local line='sudo apt-get install -y' w
    for w in "$@"; do
        if [ $((${#line} + 1 + ${#w})) -gt 78 ]; then echo "$line \\"; line="    $w"
        else line="$line $w"; fi
    done
    echo "$line"
}
{
    echo '```sh'
    read -ra words <<<"$(packages PACKAGES)"
    [ ${#words[@]} -gt 0 ] || die "cannot read PACKAGES from the Makefile"
    wrap_apt "${words[@]}"
    echo "# make test also looks at the docs in a browser (make docs-check):"
    read -ra words <<<"$(packages DOCS_PACKAGES)"
    wrap_apt "${words[@]}"
    echo "# make show, and make test's check of it (make test-show), record with GDB:"
    read -ra words <<<"$(packages SHOW_PACKAGES)"
    wrap_apt "${words[@]}"
    echo '```'
} >"$blocks/apt"

# --- A scratch clone -------------------------------------------------------------
git clone -q "$root" "$clone" || die "git clone failed"
(
    cd "$root" || exit 1
    { git ls-files -m; git ls-files -o --exclude-standard; } | grep -v '^exercises/' | sort -u \
        | while IFS= read -r f; do
            if [ -e "$f" ]; then mkdir -p "$clone/$(dirname "$f")" && cp -p "$f" "$clone/$f"; fi
        done
)
git -C "$clone" add -A && git -C "$clone" -c user.name=readme -c user.email=readme@localhost \
    commit -qm "this checkout's uncommitted course files" >/dev/null 2>&1
file=$clone/exercises/$first_lesson/$ex.c

# run NAME CMD...: as a learner in the clone (no terminal, no colour, not CI);
# stdout and stderr together, as a terminal shows them, in $log/NAME.
run() {
    local name=$1; shift
    (cd "$clone" && env -u CI -u NO_COLOR -u MAKEFLAGS -u MAKELEVEL -u MFLAGS timeout 300 "$@") \
        >"$log/$name" 2>&1 </dev/null
    status=$?
}
# shown [FILE]: the clone's path as a learner's.
shown() { sed -e "s|$clone|$shown_root|g" "$@"; }
# example NAME COMMAND-AS-SHOWN LOG: a fenced block, the command and its output.
example() {
    { echo '```'; echo "\$ $2"; shown "$3"; echo '```'; } >"$blocks/$1"
}
# save SOURCE: writes the exercise file as editors do (a new file renamed over).
save() {
    cp "$1" "$file.tmp" && mv "$file.tmp" "$file"
}

run list-fresh make list
[ $status = 0 ] || die "make list failed: $(cat "$log/list-fresh")"
example list-fresh "make list" "$log/list-fresh"
run next-fresh make next
[ $status = 0 ] || die "make next failed: $(cat "$log/next-fresh")"
example next-fresh "make next" "$log/next-fresh"

# --- make watch --------------------------------------------------------------------
# Not on a terminal, it prints a line of '=' where it would clear the screen:
# the screens are the parts between them.
screens() { grep -c '^watching ' "$log/watch" 2>/dev/null; }
wait_screens() { # N SECONDS
    local i
    for ((i = 0; i < $2 * 5; i++)); do
        [ "$(screens)" -ge "$1" ] && return 0
        kill -0 "$watch_pid" 2>/dev/null || return 1
        sleep 0.2
    done
    return 1
}
screen() { # N: the Nth screen, without its blank edges
    awk -v n="$1" '/^=+$/ { k++; next } k == n' "$log/watch" \
        | sed -e '/./,$!d' | tac | sed -e '/./,$!d' | tac
}
(cd "$clone" && exec setsid env -u CI -u NO_COLOR -u MAKEFLAGS -u MAKELEVEL -u MFLAGS \
    timeout 600 make watch) >"$log/watch" 2>&1 </dev/null &
watch_pid=$!
stop_watch() { kill -TERM -- "-$watch_pid" 2>/dev/null; wait "$watch_pid" 2>/dev/null; }
trap stop_watch EXIT
# The first screen grades the stub at once (and builds the grader in the clone).
wait_screens 1 300 || die "make watch did not start: $(cat "$log/watch")"
patch -s -o "$out/first-try.c" "$clone/solutions/$first_lesson/$ex.c" "$mutant" \
    || die "the mutant no longer applies: $mutant"
save "$out/first-try.c"
wait_screens 2 300 || die "make watch did not regrade the first try: $(cat "$log/watch")"
{ echo '```'; echo '$ make watch'; screen 2 | shown; echo '```'; } >"$blocks/watch-fail"

run hint make hint
[ $status = 0 ] || die "make hint failed: $(cat "$log/hint")"
example hint "make hint" "$log/hint"

# make's own exit status when grader/learn exits 1 (CI=1, a test lost points).
(cd "$clone" && env -u NO_COLOR -u MAKEFLAGS -u MAKELEVEL -u MFLAGS CI=1 timeout 300 \
    make check EXERCISE="$ex") >"$log/ci" 2>&1 </dev/null
echo $? >"$log/ci-status"
{
    echo '```'
    echo "\$ CI=1 make check EXERCISE=$ex >/dev/null 2>&1; echo \"exit status \$?\""
    echo "exit status $(cat "$log/ci-status")"
    echo '```'
} >"$blocks/ci-exit"

save "$clone/solutions/$first_lesson/$ex.c"
wait_screens 3 300 || die "make watch did not regrade the fix: $(cat "$log/watch")"
{ echo '```'; screen 3 | shown; echo '```'; } >"$blocks/watch-pass"
stop_watch
trap - EXIT

run list-done make list LESSON="${first_lesson%%-*}"
[ $status = 0 ] || die "make list LESSON=${first_lesson%%-*} failed: $(cat "$log/list-done")"
example list-done "make list LESSON=${first_lesson%%-*}" "$log/list-done"
run check make check EXERCISE="$ex"
[ $status = 0 ] || die "make check EXERCISE=$ex failed: $(cat "$log/check")"
example check "make check EXERCISE=$ex" "$log/check"

# --- README.md: rewrite, or compare ----------------------------------------------
# What varies from run to run, and only that.
normalise() {
    sed -E -e 's/[0-9]{2}:[0-9]{2}:[0-9]{2}/HH:MM:SS/g' \
           -e 's/\b[0-9]+(\.[0-9]+)? s\b/N s/g' \
           -e 's/\b0x[0-9a-f]{6,}\b/0xADDR/g' \
           -e 's/, [0-9]+ at a time/, N at a time/' \
           -e 's/^sandboxed: .*/sandboxed: (what this machine allows)/' "$@"
}

# The README with every block replaced by this run's; a block the README does
# not have, or has twice, is an error. A block that differs only in what
# normalise() hides is kept as it is, so that `make readme` does not rewrite
# clock times for nothing (and merges stay quiet).
names=$(find "$blocks" -type f -printf '%f\n' | sort | xargs)
n_blocks=$(wc -w <<<"$names")
for n in $names; do
    c=$(grep -c "^<!-- generated: $n " "$readme")
    [ "$c" = 1 ] || die "README.md has $c start markers for block $n (want 1): <!-- generated: $n (docs/readme-examples.sh; \`make readme\` rewrites it) -->"
    c=$(grep -c "^<!-- end generated: $n -->" "$readme")
    [ "$c" = 1 ] || die "README.md has $c end markers for block $n (want 1): <!-- end generated: $n -->"
    awk -v n="$n" '$0 == "<!-- end generated: " n " -->" { on = 0 } on { print }
                   index($0, "<!-- generated: " n " ") == 1 { on = 1 }' "$readme" >"$out/old-$n"
    if cmp -s <(normalise "$out/old-$n") <(normalise "$blocks/$n"); then cp "$out/old-$n" "$blocks/$n"; fi
done
awk -v dir="$blocks" '
    /^<!-- generated: [a-z0-9-]+ / { print; name = $3; f = dir "/" name
        while ((getline line < f) > 0) print line
        close(f); skip = 1; next }
    skip && $0 == "<!-- end generated: " name " -->" { skip = 0 }
    !skip { print }
' "$readme" >"$out/README.md"

if [ "$mode" = --update ]; then
    if cmp -s "$out/README.md" "$readme"; then echo "readme: README.md's $n_blocks generated blocks are current"
    else cp "$out/README.md" "$readme" && echo "readme: rewrote README.md's generated blocks ($names), where they changed"; fi
    exit 0
fi

if diff -u --label "README.md" --label "what the commands print today" \
    <(normalise "$readme") <(normalise "$out/README.md") >"$out/readme.diff"; then
    echo "ok   README.md: its $n_blocks generated blocks ($names) match what the commands print today"
    exit 0
fi
echo "FAIL README.md's generated blocks differ from what the commands print today"
echo "     (- the README, + today, times and addresses normalised; \`make readme\` rewrites them):"
sed 's/^/     | /' "$out/readme.diff" | head -n 80
exit 1
