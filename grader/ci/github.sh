#!/usr/bin/env bash
# The steps of the CI workflow (docs/ci/grade.yml), kept here so that they
# can be run and tested outside GitHub (grader/tests/check-ci.sh):
#
#   grader/ci/github.sh grade   grades exercises/ (LESSON: one lesson) into
#                               results.json, junit.xml and report.txt, and
#                               prints the report into the job's log
#   grader/ci/github.sh report  the summary table into $GITHUB_STEP_SUMMARY
#                               and one ::error annotation per failing
#                               exercise, at the learner's file:line
#   grader/ci/github.sh gate    fails only when the instructor asked:
#                               FAIL_BELOW=N (percent) and a lower score
#
# It runs as the runner's own user, in the checkout; it writes only
# results.json, junit.xml, report.txt (and the grader's build/).
# Learner text (test output, file names) reaches the log and the summary:
# in the log it is fenced with ::stop-commands:: so that it cannot issue
# workflow commands, in the summary it is escaped.
set -uo pipefail
step=${1:-}
results=${RESULTS:-results.json}

# An annotation's message and properties, as GitHub's workflow commands
# want them escaped (%, CR, LF; and in properties, ':' and ',').
escape_data() { jq -Rrs 'rtrimstr("\n") | gsub("%"; "%25") | gsub("\r"; "%0D") | gsub("\n"; "%0A")'; }
escape_property() { jq -Rrs 'rtrimstr("\n") | gsub("%"; "%25") | gsub("\r"; "%0D") | gsub("\n"; "%0A")
                              | gsub(":"; "%3A") | gsub(","; "%2C")'; }

case $step in
grade)
    args=(--platform ci --submission exercises --json "$results" --junit junit.xml)
    [ -n "${LESSON:-}" ] && args+=(--lesson "$LESSON")
    grader/grade "${args[@]}" >report.txt 2>grade.log
    status=$?
    # The report quotes the learner's output: no workflow command in it runs.
    token=stop-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    echo "::stop-commands::$token"
    cat grade.log report.txt
    echo "::$token::"
    rm -f grade.log
    case $status in
    0 | 1) echo "grade: graded (the score is in the job summary)" ;;
    *) echo "::error title=Grading failed::the grader could not grade this push (exit status $status); the log above says why"
       jq -e . "$results" >/dev/null 2>&1 || exit 1 ;;
    esac
    exit 0 # a low score is not a failed step: see gate
    ;;
report)
    summary=${GITHUB_STEP_SUMMARY:-/dev/stdout}
    if ! jq -e . "$results" >/dev/null 2>&1; then
        echo "::error title=No results::$results is missing or not JSON: grading did not finish"
        printf '### Grade\n\nNo results: grading did not finish (see the grading step).\n' >>"$summary"
        exit 0
    fi
    # The table: one row per exercise, from the tests' extra_data.
    jq -r '
        def md: tostring | gsub("&"; "&amp;") | gsub("<"; "&lt;") | gsub(">"; "&gt;")
                | gsub("(?<c>[\\\\`*_\\[\\]|#])"; "\\\(.c)") | gsub("[\r\n]+"; " ");
        (.tests // []) as $tests
        | ([$tests[] | .extra_data | "\(.lesson)/\(.exercise)"] | unique) as $names
        | "### Grade: \(.score // 0)/\(.max_score // 0) points", "",
          "| lesson | exercise | points | tests |", "|---|---|---|---|",
          ($tests | group_by(.extra_data.lesson, .extra_data.exercise)[]
           | . as $t
           | ([$t[].score] | add) as $s | ([$t[].max_score] | add) as $m
           | ([$t[] | select(.score < .max_score)] | length) as $fail
           | "| \($t[0].extra_data.lesson | md) | \($t[0].extra_data.exercise | md) | \($s)/\($m) | "
             + (if $fail == 0 then "done" else "\($fail) of \($t | length) fail" end) + " |"),
          (if ((.extra_data.notes // []) | length) > 0 then
             "", "**Why points were lost**", "", (.extra_data.notes[] | "- \(md)")
           else empty end),
          "", "Every test with its explanation: the grading step'"'"'s log, or the `grade` artifact (results.json, junit.xml, report.txt)."
    ' "$results" >>"$summary"
    # Annotations: one per failing exercise, at the first line of the
    # learner's file that its failures name (compiler error, Valgrind frame).
    jq -c '
        # The line that says what went wrong: a FAILED line, or the first
        # line of a memory error (the lines after their headings).
        def reason: split("\n") as $l
            | ([range(0; $l | length) | select($l[.] | test("^(FAILED|Memory error)"))] | first) as $i
            | if $i == null then "see the log"
              elif ($l[$i] | test("^(FAILED:|Memory error [0-9]+:)$")) then ($l[$i + 1] // $l[$i])
              else $l[$i] end;
        (.tests // []) | group_by(.extra_data.lesson, .extra_data.exercise)[]
        | select(any(.[]; .score < .max_score))
        | .[0].extra_data as $x
        | ($x.exercise + ".c") as $base
        | [.[] | select(.score < .max_score)] as $failing
        | {file: ($x.file // ""),
           line: ([$failing[].output | " " + . | capture("[^A-Za-z0-9_]" + ($base | gsub("\\."; "\\.")) + ":(?<n>[0-9]+)")?
                  | .n] | first // ""),
           title: "\($x.lesson)/\($x.exercise): \($failing | length) of \(length) tests fail",
           message: ($failing[0] | "\(.name): " + ((.output // "") | reason))}
    ' "$results" | while IFS= read -r a; do
        file=$(jq -r .file <<<"$a" | escape_property)
        line=$(jq -r .line <<<"$a")
        title=$(jq -r .title <<<"$a" | escape_property)
        message=$(jq -r .message <<<"$a" | escape_data)
        props="title=$title"
        [ -n "$file" ] && props="file=$file,$props"
        [ -n "$file" ] && [ -n "$line" ] && props="file=$file,line=$line,title=$title"
        echo "::error $props::$message"
    done
    # What made whole exercises score nothing, without a file to point at.
    jq -r '(.extra_data.notes // [])[]' "$results" | while IFS= read -r note; do
        echo "::warning title=Why points were lost::$(printf '%s' "$note" | escape_data)"
    done
    exit 0
    ;;
gate)
    threshold=${FAIL_BELOW:-}
    if [ -z "$threshold" ]; then
        echo "gate: FAIL_BELOW is not set: the job passes whatever the score"
        exit 0
    fi
    case $threshold in
    *[!0-9.]* | '') echo "::error title=FAIL_BELOW::FAIL_BELOW must be a percentage, not '$threshold'"; exit 1 ;;
    esac
    percent=$(jq -r 'if (.max_score // 0) > 0 then .score / .max_score * 100 else 0 end' "$results" 2>/dev/null) \
        || { echo "::error title=No results::no $results: the job fails (FAIL_BELOW=$threshold)"; exit 1; }
    if jq -e -n --argjson p "$percent" --argjson t "$threshold" '$p < $t' >/dev/null; then
        echo "::error title=Below the pass mark::$(printf '%.1f' "$percent")% of the points, below FAIL_BELOW=$threshold%"
        exit 1
    fi
    echo "gate: $(printf '%.1f' "$percent")% of the points, at least FAIL_BELOW=$threshold%"
    ;;
*)
    echo "usage: grader/ci/github.sh grade|report|gate" >&2
    exit 2
    ;;
esac
