#!/usr/bin/env bash
# grader/batch's tests: a small class of the grader's fixture course
# (grader/tests/course, one exercise worth 4 points) graded
#   1. here, checking the gradebook cell by cell;
#   2. again with --resume, which grades only what is missing;
#   3. with a grader error and with a timeout, for the status column, and
#      with hidden tests (--tests-overlay);
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
expected='"student","status","score","max_score","01-fixture","01-fixture/counting"
"leaking","graded",3,4,3,3
"missing_file","graded",0,4,0,0
"not compiling, bob","graded",0,4,0,0
"perfect","graded",4,4,4,4'

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

# 3. The status column.
mkdir -p "$out/one" && cp -R "$course/solutions" "$out/one/perfect"
if "$batch" --course "$course" --no-bar --lesson 99 "$out/one" "$out/error" >"$out/error.log" 2>&1; then
    fail "a grader error must make batch exit 1"
fi
grep -q '^"perfect","error",0,0' "$out/error/gradebook.csv" && ok "status column: error" \
    || fail "status error: $(cat "$out/error/gradebook.csv")"
"$batch" --course "$course" --no-bar --timeout 1 "$out/one" "$out/timeout" >"$out/timeout.log" 2>&1 || true
grep -q '^"perfect","timeout",0,0' "$out/timeout/gradebook.csv" && ok "status column: timeout" \
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
grep -q '^"perfect","graded",6,6,6,6$' "$out/hidden/gradebook.csv" \
    && jq -e '[.tests[] | select(.name | test("counting_hidden")) | .visibility] == ["after_due_date"]' \
        "$out/hidden/perfect/results.json" >/dev/null \
    && ok "--tests-overlay: hidden tests in the gradebook, after_due_date in results.json" \
    || fail "--tests-overlay: $(cat "$out/hidden/gradebook.csv" "$out/hidden.log" | tail -6)"

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
