#!/usr/bin/env bash
# Doxygen's input filter for Markdown files (FILTER_PATTERNS in docs/Doxyfile):
# prints FILE as Doxygen should read it.
#
#   docs/md-filter.sh [--learner] FILE
#
# - Headings lose their backticks. Doxygen 1.9.4 writes a heading's title as
#   plain text, so `make list` in a heading came out as a literal
#   "<tt>make list</tt>" on the page. GitHub renders them as code; the site
#   shows the words. Lines inside fenced code blocks (#include, #define) are
#   left alone.
# - With --learner, the top README.md stops before "## For instructors": the
#   learners' site shows the lessons, the exercises' contracts and how to
#   work, not the instructors' and maintainers' part. Every other file is
#   printed whole.
#
# The filter keeps every line it prints where it was, so that Doxygen's
# warnings still name the right line.
set -euo pipefail

learner=0
if [ "${1:-}" = --learner ]; then learner=1; shift; fi
file=${1:?usage: md-filter.sh [--learner] FILE}

top=0
case $file in
README.md|./README.md|"$(cd "$(dirname "$0")/.." && pwd)/README.md") top=1 ;;
esac

# (Debian's awk is mawk: no {m,n} in its regular expressions.)
exec awk -v cut=$((learner && top)) '
    /^ ? ? ?(```|~~~)/ { fence = !fence; print; next }
    fence { print; next }
    cut && /^## For instructors[ ]*$/ { exit }
    /^ ? ? ?#+[ \t]/ { gsub(/`/, "") }
    { print }
' "$file"
