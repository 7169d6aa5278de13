#!/usr/bin/env bash
# The docs test (`make docs-check`, in `make test`): the two Doxygen sites
# that `make docs` built into DOCS_DIR, read as files and looked at in a
# browser.
#
#   docs/check-docs.sh DOCS_DIR        (DOCS_DIR: $(BUILD)/docs)
#
# - doxygen wrote both warning logs where this make's build folder says,
#   and both are empty;
# - no heading or page title holds literal HTML (a "<tt>" or "&lt;" in the
#   built HTML of a heading: Doxygen prints a Markdown heading's backticks so);
# - the learners' site has every lesson and every exercise's header, and
#   nothing of the instructors' or the grader's (alloc_faults.h,
#   course_test.h, authoring.md, the README's "For instructors");
#   the instructors' site has them;
# - headless Chromium opens pages of both sites: its DOM has the menu that
#   the pages' JavaScript builds, and its screenshots are PNGs of the window
#   size that are not blank. The screenshots stay in DOCS_DIR/screenshots/
#   for a person to look at.
#
# Prints one line per check and "N passed, M failed" last; exits 1 if any
# check failed.
set -uo pipefail

docs=${1:?usage: check-docs.sh DOCS_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
learner=$docs/html
instr=$docs/grader/html
shots=$docs/screenshots
passed=0 failed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/     | /' "$2" | head -n 25; failed=$((failed + 1)); }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# --- Warning logs: the ones doxygen wrote ------------------------------------
for log in "$docs/warnings.log:learners'" "$docs/grader-warnings.log:instructors'"; do
    file=${log%%:*} site=${log#*:}
    if [ ! -f "$file" ]; then
        bad "$site site: doxygen wrote no warning log at $file (did it write it elsewhere?)"
    elif [ -s "$file" ]; then
        bad "$site site: doxygen warned ($file)" "$file"
    else
        ok "$site site: doxygen wrote $file, and it is empty"
    fi
done

# --- No literal HTML in headings ---------------------------------------------
# Headings (h1-h6), page titles and the table of contents of every page.
for site in "$learner" "$instr"; do
    [ -f "$site/index.html" ] || { bad "no site at $site: run make docs"; continue; }
done
perl -0777 -ne '
    while (/<(h[1-6])\b[^>]*>(.*?)<\/\1>|<div class="title">(.*?)<\/div>|<div class="toc">(.*?)<\/div>/gs) {
        my $text = defined $2 ? $2 : defined $3 ? $3 : $4;
        if ($text =~ /<tt>|&lt;/) {
            $text =~ s/<a class="anchor"[^>]*><\/a>//g; $text =~ s/\s+/ /g;
            print "$ARGV: $text\n";
        }
    }' "$learner"/*.html "$instr"/*.html >"$tmp/headings" 2>&1
pages=$(find "$learner" "$instr" -maxdepth 1 -name '*.html' 2>/dev/null | wc -l)
if [ "$pages" -gt 0 ] && [ ! -s "$tmp/headings" ]; then
    ok "no <tt> or &lt; in a heading, title or table of contents ($pages pages)"
else
    bad "literal HTML in headings (write them without backticks, or see docs/md-filter.sh)" "$tmp/headings"
fi

# --- What each site shows ------------------------------------------------------
# Doxygen's page names: a_b.h is a__b_8h.html; lessons/01-x/README.md is
# md_lessons_01_x_README.html.
page_of_header() { local b=${1%.h}; echo "${b//_/__}_8h.html"; }
missing=()
n_lessons=0 n_headers=0
for json in "$root"/lessons/[0-9][0-9]-*/lesson.json; do
    slug=$(basename "$(dirname "$json")")
    n_lessons=$((n_lessons + 1))
    [ -f "$learner/md_lessons_${slug//-/_}_README.html" ] || missing+=("lesson $slug")
    for ex in $(jq -r '.exercises[]' "$json"); do
        n_headers=$((n_headers + 1))
        [ -f "$learner/$(page_of_header "$ex.h")" ] || missing+=("$slug/$ex.h")
    done
done
if [ ${#missing[@]} = 0 ]; then ok "learners' site: all $n_lessons lessons and all $n_headers exercises' headers"
else printf '%s\n' "${missing[@]}" >"$tmp/missing"; bad "learners' site lacks pages" "$tmp/missing"; fi

: >"$tmp/extra"
for h in "$root"/grader/include/*.h; do
    h=$(basename "$h")
    [ -f "$learner/$(page_of_header "$h")" ] && echo "a page for grader/include/$h" >>"$tmp/extra"
    grep -lF "$h" "$learner"/*.html 2>/dev/null | sed "s|^|$h named in |" >>"$tmp/extra"
done
grep -lE 'For instructors|What the grader defends against' "$learner"/*.html 2>/dev/null \
    | sed 's/^/the README'"'"'s instructors'"'"' part in /' >>"$tmp/extra"
[ -f "$learner/md_docs_authoring.html" ] && echo "docs/authoring.md" >>"$tmp/extra"
find "$learner" -maxdepth 1 -regex '.*_8c\(_source\)?\.html' -printf 'a source page: %f\n' >>"$tmp/extra"
if [ ! -s "$tmp/extra" ]; then
    ok "learners' site: nothing of the instructors' (README's instructors' part, authoring.md) nor of the grader (grader/include, sources)"
else bad "learners' site shows instructors' or grader pages" "$tmp/extra"; fi

if grep -q 'For instructors' "$instr/index.html" 2>/dev/null && [ -f "$instr/md_docs_authoring.html" ] \
    && [ -f "$instr/$(page_of_header alloc_faults.h)" ]; then
    ok "instructors' site: the whole README, authoring.md, alloc_faults.h"
else bad "instructors' site lacks the README's instructors' part, authoring.md or alloc_faults.h"; fi

# --- In a browser ----------------------------------------------------------------
width=1280 height=2000
chromium_run() { # OUTPUT-OPTION URL
    local profile
    profile=$(mktemp -d -p "$tmp") || return 1
    # Its complaints about a missing D-Bus are noise on a server.
    timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --window-size=$width,$height "$@" 2>&1 >&3 \
        | grep -v -e 'ERROR:dbus/' -e 'unexpected operator' >>"$tmp/chromium.err"
} 3>&1

if ! command -v chromium >/dev/null; then
    bad "chromium is missing: apt-get install chromium (the Makefile's DOCS_PACKAGES; make installs it as root)"
else
    # The pages' menus are built by their JavaScript: a DOM with the menu
    # filled in is a page that a browser loaded and ran.
    chromium_run --dump-dom "file://$(realpath "$learner/index.html")" >"$tmp/dom.html"
    if grep -q '<ul [^>]*id="main-menu"[^>]*><li><a href="index.html">Main Page</a>' "$tmp/dom.html" \
        && grep -q 'Related Pages' "$tmp/dom.html" && ! grep -q '&lt;tt&gt;' "$tmp/dom.html"; then
        ok "Chromium loads the learners' index: its script built the menu; no literal <tt>"
    else bad "Chromium's DOM of the learners' index has no menu, or a literal <tt>" "$tmp/chromium.err"; fi

    rm -rf "$shots" && mkdir -p "$shots"
    for shot in "learners-index:$learner/index.html" \
                "learners-lesson01:$learner/md_lessons_01_stack_frames_README.html" \
                "learners-storage.h:$learner/$(page_of_header storage.h)" \
                "instructors-alloc_faults.h:$instr/$(page_of_header alloc_faults.h)"; do
        name=${shot%%:*} page=${shot#*:}
        png=$shots/$name.png
        if [ ! -f "$page" ]; then bad "screenshot $name: no page $page"; continue; fi
        chromium_run --screenshot="$png" "file://$(realpath "$page")" >/dev/null
        if ! stat=$(python3 "$root/docs/pngstat.py" "$png" 2>&1); then
            bad "screenshot $name: no PNG ($stat)" "$tmp/chromium.err"; continue
        fi
        read -r w h colours dominant <<<"$stat"
        # A blank page is one colour; a rendered one has text (anti-aliased:
        # hundreds of colours) and no colour covers nearly all of it.
        if [ "$w" = $width ] && [ "$h" = $height ] && [ "$colours" -ge 64 ] \
            && awk -v d="$dominant" 'BEGIN { exit !(d < 97) }'; then
            ok "screenshot $name: ${w}x$h, $colours colours, the commonest covers $dominant % ($png)"
        else
            bad "screenshot $name: ${w}x$h (want ${width}x$height), $colours colours, the commonest covers $dominant %: blank or not rendered ($png)"
        fi
    done
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
