#!/usr/bin/env bash
# Proves `make show` draws what is there, and each problem where it happens:
#  - every recording: the named test's own frame is drawn (not another
#    test's), and it ran as a uid that is not root, under the sandbox's CPU
#    limit (the trace's header says so, written by GDB in the sandbox);
#  - one test a lesson, from the reference solutions: the learner's frame
#    and the test's are drawn, a heap block where the test makes one, a
#    pointer edge into it, and no problem at all;
#  - one planted bug of each kind (a lesson mutant: leak, use after free,
#    dangling pointer to a local, overflow past a block, double free): the
#    problem is marked, in its own colour, at a step of the learner's code
#    (or, for a dangling pointer the test keeps, of the test's), with what
#    shows it drawn at that step (the leaked block, the edge to the freed
#    block or to the returned frame, the overflowed block, the free() call)
#    and a link to the lesson section that explains it, which exists; and a
#    reference cycle (lesson 03's mutant) leaked at the test's failed check;
#  - hostile text: a learner whose locals hold `</svg><script>...` gets a
#    page with that text escaped and drawn, and no script but the page's own;
#  - a test that blocks is stopped by the blocked rule, and says so;
#  - one page rendered by headless Chromium: the screenshot is a real
#    picture (size and colours), not a blank page.
# No check depends on wall-clock time: the recordings are bounded in CPU.
# Usage: check-show.sh OUT_DIR
set -euo pipefail
out=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$out" && mkdir -p "$out"
failed=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; failed=1; }

# show NAME SLUG EXERCISE TEST [PATCH]: records and renders one test of the
# solution, or of the solution with PATCH (a lesson mutant or a fixture).
show() {
    local name=$1 slug=$2 exercise=$3 test=$4 patch=${5:-} dir=$out/$1
    mkdir -p "$dir/sub/$slug"
    cp "$root/solutions/$slug/$exercise.c" "$dir/sub/$slug/"
    if [ -n "$patch" ]; then
        patch -s -o "$dir/sub/$slug/$exercise.c" "$root/solutions/$slug/$exercise.c" \
            <"$patch" >/dev/null
    fi
    local started=$SECONDS
    if ! "$root/grader/grade" --show "$test" --exercise "$exercise" \
            --submission "$dir/sub" --course "$root" --show-out "$dir" 2>"$dir/show.log"; then
        bad "$name: grade --show failed: $(tail -3 "$dir/show.log")"
        return 1
    fi
    if ! /usr/bin/python3 "$root/grader/show/render.py" "$dir/trace.jsonl" "$dir/source.c" \
            --out "$dir/page.html" --summary "$dir/summary.json" --lessons "$root/lessons" \
            --title "$exercise: $test" >"$dir/ascii.txt" 2>>"$dir/show.log"; then
        bad "$name: render failed: $(tail -3 "$dir/show.log")"
        return 1
    fi
    echo "     $name: $(jq '.steps | length' "$dir/summary.json") steps drawn in $((SECONDS - started)) s ($(jq -r .end "$dir/summary.json"))"
    expect "$name" "[.steps[].frames[] | select(endswith(\"_${test}_impl\"))] | length > 0" \
        "the frame of test $test is drawn"
    if head -1 "$dir/trace.jsonl" | jq -e '.uid != 0 and .cpu_limit > 0 and .cpu_limit <= 60' \
            >/dev/null 2>&1; then
        ok "$name: recorded as uid $(head -1 "$dir/trace.jsonl" | jq .uid), under a CPU limit of $(head -1 "$dir/trace.jsonl" | jq .cpu_limit) s"
    else
        bad "$name: the recording ran as root or without its CPU limit: $(head -1 "$dir/trace.jsonl")"
    fi
}

# expect NAME JQ_FILTER WHAT: the summary must satisfy the filter.
expect() {
    if jq -e "$2" "$out/$1/summary.json" >/dev/null 2>&1; then ok "$1: $3"; else bad "$1: $3"; fi
}

# step_html NAME N: the page's HTML of step N (1-based), up to its SVG's end.
step_html() {
    awk -v s="id=\"s$2\"" 'index($0, s) { on = 1 } on && /<\/svg>/ { exit } on' "$out/$1/page.html"
}

# section_exists HREF: the lesson file exists and has a heading whose
# GitHub-style anchor is the link's fragment.
section_exists() {
    local file=${1%%#*} anchor=${1#*#}
    [ -f "$file" ] && grep '^#' "$file" | sed -e 's/^#* *//' | tr 'A-Z' 'a-z' \
        | sed -e 's/[^a-z0-9 _-]//g' -e 's/ /-/g' | grep -qx -- "$anchor"
}

# A solution: its function's frame under the test's, no problem drawn.
solution() { # name slug exercise test function heap(yes/no)
    show "$1" "$2" "$3" "$4" || return 0
    expect "$1" "[.steps[] | select(.frames | index(\"$5\")) | select(.frames | length >= 2)] | length > 0" \
        "a frame of $5 above the test's frame"
    expect "$1" '.first_problem == null' "no problem marked"
    if [ "$6" = yes ]; then
        expect "$1" '[.steps[] | select((.blocks | length) > 0 and ([.edges[] | select(.to | startswith("b"))] | length) > 0)] | length > 0' \
            "heap blocks with pointer arrows into them"
    fi
}

# What must be drawn at the step of each kind of problem.
declare -A DRAWN=(
    [leak]='[.blocks[] | select(.leaked)] | length > 0'
    [dangling_freed]='[.edges[] | select(.kind == "dangling_freed" and (.to | startswith("freed_")))] | length > 0'
    [dangling_local]='[.edges[] | select(.kind == "dangling_local" and .to == "dead")] | length > 0'
    [overflow]='[.blocks[] | select(.problem == "overflow")] | length > 0'
    [double_free]='.event == "double_free"'
)
declare -A DRAWN_TEXT=(
    [leak]="the leaked block drawn as leaked"
    [dangling_freed]="an arrow into the freed block"
    [dangling_local]="an arrow into the returned frame"
    [overflow]="the overflowed block marked"
    [double_free]="the second free() call"
)

# A planted bug: the problem, in its colour, at a step of the right file,
# with what shows it and a link to its lesson section.
bug() { # name slug exercise test mutant kind file colour
    show "$1" "$2" "$3" "$4" "$root/lessons/$2/mutants/$3/$5.patch" || return 0
    expect "$1" ".first_problem != null and (.steps[.first_problem].problems | index(\"$6\")) != null" \
        "$6 marked"
    expect "$1" ".steps[.first_problem].file == \"$7\"" "at a step of the $7's code"
    expect "$1" ".steps[.first_problem] | ${DRAWN[$6]}" "${DRAWN_TEXT[$6]} at that step"
    local step drawn href
    step=$(jq '.first_problem + 1' "$out/$1/summary.json" 2>/dev/null || echo 0)
    drawn=$(step_html "$1" "$step")
    if grep -qi "$8" <<<"$drawn"; then
        ok "$1: step $step drawn in the colour of $6 ($8)"
    else
        bad "$1: step $step is not drawn in $8"
    fi
    href=$(grep -io "class=\"problem\" style=\"background:$8\">.*<a href=\"[^\"]*\"" <<<"$drawn" | head -1 \
           | sed -e 's/.*<a href="//' -e 's/"$//')
    if [ -n "$href" ] && section_exists "$href"; then
        ok "$1: links to ${href#"$root"/}"
    else
        bad "$1: no link to an existing lesson section at step $step (${href:-none})"
    fi
}

# Hostile text in the learner's values and source: escaped, drawn, inert.
hostile() {
    show markup 02-heap strset free_releases_every_block \
        "$root/grader/tests/show/markup_in_values.patch" || return 0
    local page=$out/markup/page.html scripts
    scripts=$(grep -oi '<script' "$page" | wc -l)
    if [ "$scripts" = 1 ] && ! grep -qi '<script>alert\|</svg><script' "$page"; then
        ok "markup: no script in the page but its own"
    else
        bad "markup: $scripts <script tags in the page (1 expected), or learner markup unescaped"
    fi
    if grep -q '&lt;/svg&gt;&lt;script&gt;alert(1)' "$page" \
            && grep -q '&lt;/svg&gt;&lt;script&gt;alert(2)' "$page"; then
        ok "markup: the local array and the string literal are drawn, escaped"
    else
        bad "markup: the hostile values are not drawn (escaped) in the page"
    fi
    expect markup '.first_problem == null' "no problem marked"
}

# A test that blocks (a lock taken twice): stopped by the recorder's blocked
# rule (its threads all asleep, not held by GDB), its steps up to then drawn.
blocked() {
    show blocked 04-raii lock_guard transfer_moves_money_and_unlocks \
        "$root/grader/tests/show/lock_taken_twice.patch" || return 0
    expect blocked '.end | test("slept 10 s")' "stopped as blocked, and the page says why"
    expect blocked '.steps | length > 0' "the steps before it are drawn"
}

solution sol-01 01-stack-frames storage month_name_gives_each_month storage_month_name no
solution sol-02 02-heap strset free_releases_every_block strset_free yes
solution sol-03 03-smart-pointers node tree_is_freed_with_its_root node_new yes
solution sol-04 04-raii cleanup lines_free_frees_strings_and_array lines_free yes
solution sol-05 05-overflow str_append append_appends_what_fits str_append no
solution sol-06 06-fragmentation pool hands_out_distinct_aligned_blocks pool_alloc no

bug leak 02-heap strset free_releases_every_block free_leaks_strings leak learner '#d62728'
bug use-after-free 02-heap strstack pop_returns_strings_last_first pop_reads_freed_node \
    dangling_freed learner '#ff7f0e'
bug dangling-local 01-stack-frames storage month_name_gives_each_month \
    month_copies_into_local_array dangling_local test '#9467bd'
bug overflow 02-heap strbuild join_puts_separator_between_parts join_forgets_nul_byte \
    overflow learner '#e6550d'
bug double-free 02-heap strstack copy_keeps_order copy_shares_strings \
    double_free learner '#8c564b'
# A cycle the test lets go of: leaked, found where the test's check fails.
bug cycle 03-smart-pointers node detach_gives_the_reference_to_the_caller parent_is_counted \
    leak test '#d62728'

hostile
blocked

# Headless Chromium draws one page; the PNG must be a picture, not blank.
page=$(realpath "$out/leak/page.html" 2>/dev/null || true)
if [ -f "$page" ] && command -v chromium >/dev/null; then
    profile=$(mktemp -d)
    timeout 600 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --window-size=1400,1000 \
        --screenshot="$out/leak.png" "file://$page#s$(( $(jq .first_problem "$out/leak/summary.json") + 1 ))" \
        >"$out/chromium.log" 2>&1 || true
    rm -rf "$profile"
    if /usr/bin/python3 "$root/grader/show/png_check.py" "$out/leak.png"; then
        ok "chromium rendered the leak page: $out/leak.png"
    else
        bad "chromium did not render the leak page (see $out/chromium.log)"
    fi
else
    bad "no page or no chromium for the screenshot"
fi

[ "$failed" = 0 ] && echo "show: every picture holds what it must" || exit 1
