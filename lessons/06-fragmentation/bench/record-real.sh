#!/usr/bin/env bash
# Records the course's real-program traces (bench/traces/real/*.rep).
#
#   record-real.sh TRACER.so OUT_DIR
#
# Each program is one Debian 12 ships, run on this repository's own files
# (run from its top directory): a shell script, a compiler, text tools,
# an editor, a database, two interpreters. Each trace keeps the busiest
# process's first MAX_OPS operations (record.sh). Other versions of these
# programs give other traces: the ones in the repository are what the
# lesson's figures were measured on.
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 TRACER.so OUT_DIR" >&2
    exit 2
fi
tracer=$1 out=$2
max=30000
record=$(dirname "$0")/record.sh
text=$(mktemp)
scratch=$(mktemp -d)
trap 'rm -rf "$text" "$scratch"' EXIT
cat lessons/*/README.md > "$text"
mkdir -p "$out"

# A shell script: word counts in an associative array, then a sort. Its
# tiny blocks pile up late: this one keeps 100,000 operations.
"$record" "$tracer" "$out/bash.rep" 100000 bash -c '
    declare -A seen
    while read -r line; do
        for w in $line; do seen[$w]=$(( ${seen[$w]:-0} + 1 )); done
    done < "$1"
    for k in "${!seen[@]}"; do echo "${seen[$k]} $k"; done | sort -n | tail -1' bash "$text"

# A compiler: gcc's cc1 on the reference allocator.
"$record" "$tracer" "$out/cc1.rep" $max gcc -O2 -std=c11 -Iexercises/06-fragmentation \
    -c solutions/06-fragmentation/mm.c -o "$scratch/mm.o"

# Text tools: awk (mawk) and perl counting words.
"$record" "$tracer" "$out/awk.rep" $max awk \
    '{ for (i = 1; i <= NF; i++) c[tolower($i)]++ } END { for (w in c) print c[w], w }' "$text"
"$record" "$tracer" "$out/perl.rep" $max perl -ne \
    'for (split) { $c{lc $_}++ } END { print "$_ $c{$_}\n" for sort { $c{$b} <=> $c{$a} } keys %c }' "$text"

# Interpreters: Python and Node.js counting words and word pairs.
"$record" "$tracer" "$out/python.rep" $max /usr/bin/python3 -c '
import collections, json, re, sys
words = re.findall(r"[a-z]+", open(sys.argv[1]).read().lower())
pairs = collections.Counter(zip(words, words[1:]))
print(json.dumps(collections.Counter(words).most_common(50))[:60], len(pairs))' "$text"
"$record" "$tracer" "$out/node.rep" $max node -e '
const words = require("fs").readFileSync(process.argv[1], "utf8").split(/\s+/);
const m = new Map();
for (const w of words) m.set(w, (m.get(w) || 0) + 1);
console.log(JSON.stringify([...m]).length);' "$text"

# An editor: vim in batch mode, substituting, deleting, sorting.
"$record" "$tracer" "$out/vim.rep" $max vim -u NONE -es -c '%s/the/THE/g' -c 'g/^$/d' \
    -c 'sort u' -c "w! $scratch/edited" -c 'q!' "$text"

# A database: sqlite building and querying an indexed table.
"$record" "$tracer" "$out/sqlite.rep" $max sqlite3 :memory: "
    create table w(x text);
    with recursive c(i) as (select 1 union all select i + 1 from c where i < 20000)
    insert into w select 'word' || (i * 7919 % 5000) from c;
    create index wi on w(x);
    select x, count(*) from w group by x order by 2 desc limit 3;"
