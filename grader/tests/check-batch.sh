#!/usr/bin/env bash
# grader/batch's tests: a small class of the grader's fixture course
# (grader/tests/course, one exercise worth 4 points) graded
#   1. here, checking the gradebook cell by cell;
#   2. again with --resume, which grades only what is missing;
#   3. with a grader error and with a timeout, for the status column, and
#      with hidden tests (--tests-overlay); a bad --lesson or a misnamed
#      hidden test file stops the batch before anyone is graded, and a
#      hidden test that does not compile is never named to the learner;
#   3c. a class of every reason for a zero (missing, misnamed, archive,
#      symbolic link, refused, not compiling, timed out): each has its note
#      in the batch line and the gradebook;
#   4. through ssh, on a second "machine": an sshd started on 127.0.0.1 with
#      a throwaway host key and login key (needs root and openssh-server),
#      mixed with this one; the gradebook must be the same as in 1.
# Usage: check-batch.sh OUT_DIR [JOBS]
set -euo pipefail
out=$1 jobs=${2:-2}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
batch=$root/grader/batch
course=$here/course
rm -rf "$out" && mkdir -p "$out"
out=$(cd "$out" && pwd)
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
ok() { echo "ok   $*"; }

# The class: one folder per student, in the exercises/ shape.
class=$out/class
mkdir -p "$class"
cp -R "$course/solutions" "$class/perfect"
for f in leaking not_compiling missing_file; do
    cp -R "$here/fixtures/$f" "$class/$f"
done
mv "$class/not_compiling" "$class/not compiling, bob" # names as LMS exports make them
expected='"student","status","score","max_score","01-fixture","01-fixture/counting","notes"
"leaking","graded",3,4,3,3,""
"missing_file","graded",0,4,0,0,"no exercise file was found in the submission"
"not compiling, bob","graded",0,4,0,0,"01-fixture/counting.c did not build: line 6: expected expression before '\'';'\'' token"
"perfect","graded",4,4,4,4,""'

run_batch() { # OUT_NAME [batch options...]: runs the class, logs in OUT_NAME.log
    local name=$1
    shift
    local started=$SECONDS rc=0
    "$batch" --course "$course" --jobs "$jobs" --no-bar "$@" "$class" "$out/$name" \
        >"$out/$name.log" 2>&1 || rc=$?
    echo "$((SECONDS - started))" >"$out/$name.seconds"
    return $rc
}

# 1. Here.
if run_batch local; then ok "local batch exits 0"; else fail "local batch exited non-zero: $(tail -3 "$out/local.log")"; fi
if [ "$(cat "$out/local/gradebook.csv")" = "$expected" ]; then
    ok "gradebook: one row a student, scores per lesson and exercise"
else
    fail "gradebook differs:"; diff <(echo "$expected") "$out/local/gradebook.csv" || true
fi
for s in perfect leaking "not compiling, bob" missing_file; do
    for f in results.json junit.xml report.txt status; do
        [ -s "$out/local/$s/$f" ] || fail "$s: no $f"
    done
done
jq -e '.score == 4' "$out/local/perfect/results.json" >/dev/null && ok "results.json per student" \
    || fail "perfect/results.json does not say 4"
grep -q '<testsuites' "$out/local/leaking/junit.xml" && ok "junit.xml per student" || fail "junit.xml"
grep -q "^not compiling, bob: graded, 0/4 points, [0-9]* s on .*; 01-fixture/counting.c did not build: line 6: " \
    "$out/local.log" && grep -q '^perfect: graded, 4/4 points, [0-9]* s on [^;]*$' "$out/local.log" \
    && ok "the batch line says why a zero is a zero, and nothing for full marks" \
    || fail "batch lines: $(grep ': graded' "$out/local.log")"
[ ! -e "$out/local/.stage" ] && ok "no stage left behind" || fail "the stage was left in OUT"

cp "$out/local.seconds" "$out/first.seconds"
cp "$out/local.log" "$out/first.log"

# 2. --resume.
cp "$out/local/gradebook.csv" "$out/gradebook.first"
run_batch local --resume
grep -q '4 students in .*, 0 to grade (--resume)' "$out/local.log" \
    && ok "--resume with everything graded grades nothing" || fail "--resume: $(head -1 "$out/local.log")"
rm -rf "$out/local/leaking"
run_batch local --resume
grep -q ', 1 to grade (--resume)' "$out/local.log" && [ "$(grep -c '^leaking: graded' "$out/local.log")" = 1 ] \
    && ok "--resume grades only the missing student" || fail "--resume: $(cat "$out/local.log")"
cmp -s "$out/gradebook.first" "$out/local/gradebook.csv" && ok "--resume: same gradebook" \
    || fail "--resume changed the gradebook"

# 3. The status column. A hidden test that does not compile is a grader
# error for every student: status error, the reason in the notes column,
# and never the hidden folder or file in what the learner reads.
mkdir -p "$out/one" && cp -R "$course/solutions" "$out/one/perfect"
mkdir -p "$out/secret-overlay/01-fixture"
printf '%s\n' '#include "course_test.h"' 'this does not compile' \
    >"$out/secret-overlay/01-fixture/counting_test.c"
set +e
"$batch" --course "$course" --no-bar --tests-overlay "$out/secret-overlay" "$out/one" "$out/error" \
    >"$out/error.log" 2>&1
status=$?
set -e
[ "$status" = 1 ] || fail "a grader error must make batch exit 1, not $status"
grep -q '^"perfect","error",0,0,0,0,"error: ' "$out/error/gradebook.csv" && ok "status column: error, with its note" \
    || fail "status error: $(cat "$out/error/gradebook.csv")"
if grep -q 'secret-overlay\|counting_test' <(jq -r '.output, (.tests[].output)' "$out/error/perfect/results.json"); then
    fail "the learner's results.json names the hidden tests: $(jq -c . "$out/error/perfect/results.json" | head -c 400)"
else
    ok "a broken hidden test is never named in the learner's results.json"
fi
# A bad --lesson or a hidden test file that belongs to no exercise stops
# the batch once, before anyone is graded.
set +e
"$batch" --course "$course" --no-bar --lesson 99 "$out/one" "$out/badlesson" >"$out/badlesson.log" 2>&1
status=$?
set -e
[ "$status" = 2 ] && grep -q "no lesson '99'" "$out/badlesson.log" && [ ! -e "$out/badlesson/perfect" ] \
    && ok "a bad --lesson stops the batch before grading anyone" \
    || fail "bad --lesson: status $status, $(tail -2 "$out/badlesson.log")"
mkdir -p "$out/typo-overlay/01-fixture"
cp "$out/secret-overlay/01-fixture/counting_test.c" "$out/typo-overlay/01-fixture/countng_test.c"
set +e
"$batch" --course "$course" --no-bar --tests-overlay "$out/typo-overlay" "$out/one" "$out/badoverlay" \
    >"$out/badoverlay.log" 2>&1
status=$?
set -e
[ "$status" = 2 ] && grep -q 'countng_test.c' "$out/badoverlay.log" && [ ! -e "$out/badoverlay/perfect" ] \
    && [ "$(grep -c 'countng_test.c' "$out/badoverlay.log")" = 1 ] \
    && ok "a misnamed hidden test file stops the batch once, before grading anyone" \
    || fail "bad overlay: status $status, $(tail -3 "$out/badoverlay.log")"
"$batch" --course "$course" --no-bar --timeout 1 "$out/one" "$out/timeout" >"$out/timeout.log" 2>&1 || true
grep -q '^"perfect","timeout",0,0,0,0,"timeout: stopped after' "$out/timeout/gradebook.csv" && ok "status column: timeout" \
    || fail "status timeout: $(cat "$out/timeout/gradebook.csv")"

# 3b. Hidden tests: the gradebook counts them, results.json carries their
# visibility.
mkdir -p "$out/overlay/01-fixture"
cat >"$out/overlay/01-fixture/counting_test.c" <<'EOF'
#include "course_test.h"
#include "counting.h"

GRADED_TEST(counting_hidden, sums_negatives, 2, .description = "counting_sum adds negative values")
{
    int values[] = { -4, 1, -2 };
    cr_assert(eq(long, counting_sum(values, 3), -5), "-4 + 1 - 2 must be -5");
}
EOF
run_batch hidden --tests-overlay "$out/overlay" || true
grep -q '^"perfect","graded",6,6,6,6,""$' "$out/hidden/gradebook.csv" \
    && jq -e '[.tests[] | select(.name | test("counting_hidden")) | .visibility] == ["after_due_date"]' \
        "$out/hidden/perfect/results.json" >/dev/null \
    && ok "--tests-overlay: hidden tests in the gradebook, after_due_date in results.json" \
    || fail "--tests-overlay: $(cat "$out/hidden/gradebook.csv" "$out/hidden.log" | tail -6)"

# 3c. A reason for every zero: each shape of a submission that scores
# nothing, and a timeout, with its note in the line and the gradebook.
reasons=$out/reasons-class
mkdir -p "$reasons/empty" "$reasons/zip_only" "$reasons/typo" "$reasons/linked" "$reasons/flat_broken"
echo 'not really a zip' >"$reasons/zip_only/homework.zip"
cp "$course/solutions/01-fixture/counting.c" "$reasons/typo/countng.c"
ln -s /etc/passwd "$reasons/linked/counting.c"
cp "$here/fixtures/not_compiling/01-fixture/counting.c" "$reasons/flat_broken/"
cp -R "$here/fixtures/not_allowed_call" "$reasons/refused"
cp -R "$here/fixtures/hanging" "$reasons/hanging"
"$batch" --course "$course" --jobs "$jobs" --no-bar "$reasons" "$out/reasons" >"$out/reasons.log" 2>&1 || true
note_of() { # STUDENT: the gradebook's notes cell
    jq -R -r --arg s "$1" 'select(startswith("\"" + $s + "\",")) ' "$out/reasons/gradebook.csv" \
        | python3 -c 'import csv, sys; print(next(csv.reader(sys.stdin))[-1])'
}
expect_note() { # STUDENT PATTERN: in the gradebook, the batch line and results.json's output
    local n
    n=$(note_of "$1")
    if printf '%s' "$n" | grep -q -- "$2" && grep -q "^$1: graded, .*; .*$2" "$out/reasons.log" \
            && jq -r .output "$out/reasons/$1/results.json" | grep -q -- "$2"; then
        ok "$1: $n"
    else
        fail "$1: note '$n', line '$(grep "^$1:" "$out/reasons.log")'"
    fi
}
expect_note empty 'no exercise file was found in the submission$'
expect_note zip_only 'no exercise file was found in the submission: ignored homework.zip: an archive is not opened'
expect_note typo 'did you mean countng.c? Rename it counting.c.'
expect_note linked 'counting.c is a symbolic link'
expect_note flat_broken "counting.c did not build: line 6: expected expression"
case $(note_of flat_broken) in
counting.c*) ok "flat_broken: the file is named as submitted (counting.c)" ;;
*) fail "flat_broken: the note names $(note_of flat_broken)" ;;
esac
expect_note refused "counting.c was refused: it calls 'dlopen'"
expect_note hanging '01-fixture/counting: 1 test timed out'

# 4. A second machine, through ssh.
sshd_pid=
stop_sshd() {
    [ -z "$sshd_pid" ] && return
    ${PARALLEL_SSH:-ssh} -O exit second-machine 2>/dev/null || true # the ControlPersist master
    kill "$sshd_pid" 2>/dev/null || true
}
trap stop_sshd EXIT
if [ "$(id -u)" != 0 ] || [ ! -x /usr/sbin/sshd ] || ! command -v rsync >/dev/null; then
    echo "SKIP ssh: needs root, openssh-server and rsync"
else
    ssh_dir=$out/ssh
    mkdir -p "$ssh_dir" /run/sshd
    ssh-keygen -q -t ed25519 -N '' -f "$ssh_dir/host_key"
    ssh-keygen -q -t ed25519 -N '' -f "$ssh_dir/login_key"
    cp "$ssh_dir/login_key.pub" "$ssh_dir/authorized_keys"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    cat >"$ssh_dir/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $port
HostKey $ssh_dir/host_key
AuthorizedKeysFile $ssh_dir/authorized_keys
PidFile $ssh_dir/sshd.pid
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
EOF
    # What an instructor puts in ~/.ssh/config for each machine.
    cat >"$ssh_dir/ssh_config" <<EOF
Host second-machine
  HostName 127.0.0.1
  Port $port
  User $(id -un)
  IdentityFile $ssh_dir/login_key
  IdentitiesOnly yes
  StrictHostKeyChecking accept-new
  UserKnownHostsFile $ssh_dir/known_hosts
  BatchMode yes
  LogLevel ERROR
  # One ssh login reused by parallel's many ssh and rsync calls for a job.
  ControlMaster auto
  ControlPath $ssh_dir/cm-%C
  ControlPersist 60
EOF
    /usr/sbin/sshd -f "$ssh_dir/sshd_config" -E "$ssh_dir/sshd.log"
    for _ in $(seq 50); do [ -s "$ssh_dir/sshd.pid" ] && break; sleep 0.1; done
    sshd_pid=$(cat "$ssh_dir/sshd.pid")
    export PARALLEL_SSH="ssh -F $ssh_dir/ssh_config"
    if $PARALLEL_SSH second-machine true; then ok "sshd on 127.0.0.1:$port accepts the key"; else fail "ssh login"; fi

    # Only the second machine: every student goes through ssh and rsync.
    if run_batch remote --sshlogin "$jobs/second-machine"; then ok "batch over ssh exits 0"; else
        fail "batch over ssh: $(tail -5 "$out/remote.log")"; fi
    cmp -s "$out/local/gradebook.csv" "$out/remote/gradebook.csv" \
        && ok "over ssh: the same gradebook as here" \
        || { fail "over ssh: the gradebook differs"; diff "$out/local/gradebook.csv" "$out/remote/gradebook.csv" || true; }
    hosts=$(awk -F'\t' 'NR > 1 { print $2 }' "$out/remote/joblog.tsv" | sort -u | xargs)
    [ "$hosts" = second-machine ] && ok "every job ran on second-machine (joblog)" || fail "joblog hosts: $hosts"
    logins=$(grep -c 'Accepted publickey' "$ssh_dir/sshd.log" || true)
    [ "$logins" -ge 1 ] && ok "sshd logged $logins logins (ControlMaster reuses them)" \
        || fail "sshd logged no login"

    # Both machines at once.
    if run_batch mixed --sshlogin "1/second-machine,1/:"; then ok "batch over ':' and ssh exits 0"; else
        fail "mixed batch: $(tail -5 "$out/mixed.log")"; fi
    cmp -s "$out/local/gradebook.csv" "$out/mixed/gradebook.csv" \
        && ok "here and over ssh at once: the same gradebook" || fail "mixed: the gradebook differs"
    echo "     seconds for 4 students: here $(cat "$out/first.seconds")," \
        "over ssh $(cat "$out/remote.seconds"), mixed $(cat "$out/mixed.seconds")"
fi

if [ "$failures" != 0 ]; then
    echo "check-batch: $failures failures (logs in $out)"
    exit 1
fi
echo "check-batch: all passed"
