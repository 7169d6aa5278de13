#!/usr/bin/env bash
# Proves `make show` draws what is there, and each problem where it happens:
#  - one test a lesson, from the reference solutions: the learner's frame
#    and the test's are drawn, a heap block where the test makes one, a
#    pointer edge, and no problem at all;
#  - one planted bug of each kind (a lesson mutant: leak, use after free,
#    dangling pointer to a local, overflow past a block, double free): the
#    problem is marked, in its own colour, at a step of the learner's code
#    (or, for a double free the test makes, at the test's free());
#  - one page rendered by headless Chromium: the screenshot is a real
#    picture (size and colours), not a blank page.
# Usage: check-show.sh OUT_DIR
set -euo pipefail
out=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$out" && mkdir -p "$out"
failed=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; failed=1; }

# show NAME SLUG EXERCISE TEST [MUTANT]: records and renders one test.
show() {
    local name=$1 slug=$2 exercise=$3 test=$4 mutant=${5:-} dir=$out/$1
    mkdir -p "$dir/sub/$slug"
    cp "$root/solutions/$slug/$exercise.c" "$dir/sub/$slug/"
    if [ -n "$mutant" ]; then
        patch -s -o "$dir/sub/$slug/$exercise.c" "$root/solutions/$slug/$exercise.c" \
            <"$root/lessons/$slug/mutants/$exercise/$mutant.patch" >/dev/null
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
    echo "     $name: $(jq '.steps | length' "$dir/summary.json") steps drawn in $((SECONDS - started)) s"
}

# expect NAME JQ_FILTER WHAT: the summary must satisfy the filter.
expect() {
    if jq -e "$2" "$out/$1/summary.json" >/dev/null 2>&1; then ok "$1: $3"; else bad "$1: $3"; fi
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

# A planted bug: the problem, in its colour, at a step of the right file.
bug() { # name slug exercise test mutant kind file colour
    show "$1" "$2" "$3" "$4" "$5" || return 0
    expect "$1" ".first_problem != null and (.steps[.first_problem].problems | index(\"$6\")) != null" \
        "$6 marked"
    expect "$1" ".steps[.first_problem].file == \"$7\"" "at a step of the $7's code"
    local step
    step=$(jq '.first_problem + 1' "$out/$1/summary.json" 2>/dev/null || echo 0)
    local drawn
    drawn=$(awk -v s="id=\"s$step\"" 'index($0, s) { on = 1 } on && /<\/svg>/ { exit } on' \
            "$out/$1/page.html")
    if grep -qi "$8" <<<"$drawn"; then
        ok "$1: step $step drawn in the colour of $6 ($8)"
    else
        bad "$1: step $step is not drawn in $8"
    fi
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

# Headless Chromium draws one page; the PNG must be a picture, not blank.
page=$(realpath "$out/leak/page.html" 2>/dev/null || true)
if [ -f "$page" ] && command -v chromium >/dev/null; then
    profile=$(mktemp -d)
    timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
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
