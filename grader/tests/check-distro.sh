#!/usr/bin/env bash
# make test-distro DIST=trixie: the course on a fresh Debian release, from
# nothing, as a learner or CI meets it there.
#
# Rules it holds to:
#  - The release is a minimal Debian made with `debootstrap --variant=minbase`
#    from Debian's mirror (MIRROR=...), and nothing else: every package the
#    course needs is installed by the course's own `make check`.
#  - The course is the committed HEAD (`git archive`), never the work tree.
#  - Inside, as root, only the README's commands run: `apt-get install make
#    git` (a minimal Debian has neither), `make check`, then
#    `grader/grade --submission solutions --jobs 2 --json ...`, the same
#    with --fast, and for the shipped stubs (`exercises/`).
#  - It passes only if the solutions get full marks (so no memory error)
#    under Valgrind and in --fast mode (AddressSanitizer, what `make watch`
#    grades with), and every test of the stubs scores 0. It prints the
#    release, gcc, glibc, Valgrind and Criterion versions it tested.
#  - Mounts (/proc, /sys, a minimal tmpfs /dev) live in a private mount
#    namespace of this script and are unmounted by a trap on every exit path;
#    killed outright, the kernel drops them with the namespace. The chroot
#    itself is never removed while anything is mounted under it.
#
# Caching (under OUT_DIR, the Makefile's $(BUILD)/distro):
#   DIST/base/       the pristine debootstrap, made once (DIST/base.ok marks it
#                    complete); `rm -rf` it, or `make clean`, to make it anew
#   DIST/apt/        downloaded .deb files kept between runs (only downloads
#                    are cached: every run installs into a fresh copy of base)
#   DIST/root/       this run's copy of base, the course in /work/course
#   DIST/log/        every command's output, and the graders' JSON
#
# Usage: check-distro.sh DIST OUT_DIR      (as root; DIST: trixie, bookworm...)
#        check-distro.sh DIST OUT_DIR CMD...  runs CMD in /work/course of the
#            last run's root, mounted the same way (to look into a failure:
#            `make test-distro DIST=trixie RUN='grader/grade --lesson 06 ...'`)
# Takes 15 to 30 minutes the first time (debootstrap), less with the cache.
set -euo pipefail

# ---------------------------------------------------------------------------
# Inside the chroot: the README's commands, in the course's folder.
if [ "${1:-}" = --inside ]; then
    cd /work/course
    export DEBIAN_FRONTEND=noninteractive
    stage() { echo "== $1 ($(date +%T))"; }
    fail() { echo "FAIL $*"; failures=$((failures + 1)); }
    failures=0

    # A minimal Debian has neither make nor git: the README says to install
    # them first. A learner's course is a clone: so is this one, of HEAD.
    stage "apt-get install make git (the README's line for a bare machine)"
    start=$SECONDS
    { apt-get update -qq && apt-get install -y -qq make git; } >/root/log/apt-make.txt 2>&1 \
        || { echo "FAIL apt-get install make git:"; tail -n 20 /root/log/apt-make.txt | sed 's/^/  | /'; exit 1; }
    git init -q && git add -A \
        && git -c user.name=check-distro -c user.email=check-distro@localhost commit -qm HEAD
    echo "make and git installed, course committed, in $((SECONDS - start)) s"

    stage "make check (installs the Debian packages, grades exercises/)"
    start=$SECONDS
    # CI unset: `make check` exits 0 whatever the score, as for a learner.
    if env -u CI make check >/root/log/make-check.txt 2>&1; then
        deps=$(( $(stat -c %Y build/.deps) - $(date +%s) + SECONDS - start ))
        echo "make check: exit 0 in $((SECONDS - start)) s (packages installed in the first $deps s); its last lines:"
        tail -n 4 /root/log/make-check.txt | sed 's/^/  | /'
    else
        echo "FAIL make check exited $? after $((SECONDS - start)) s; its last lines:"
        tail -n 40 /root/log/make-check.txt | sed 's/^/  | /'
        exit 1
    fi

    stage "versions"
    . /etc/os-release
    {
        echo "distribution: $PRETTY_NAME (debian_version $(cat /etc/debian_version))"
        echo "gcc:          $(gcc --version | head -n 1)"
        echo "glibc:        $(getconf GNU_LIBC_VERSION) ($(dpkg-query -W -f='${Version}' libc6))"
        echo "valgrind:     $(valgrind --version) ($(dpkg-query -W -f='${Version}' valgrind))"
        echo "criterion:    $(dpkg-query -W -f='${Version}' libcriterion-dev)"
        echo "make:         $(make --version | head -n 1)"
        echo "libxml2:      $(dpkg-query -W -f='${Version}' libxml2-dev)"
        echo "jansson:      $(dpkg-query -W -f='${Version}' libjansson-dev)"
    } | tee /root/log/versions.txt

    # failing JSON: every test that did not get full marks, with its message.
    failing() {
        jq -r '.tests[] | select(.score != .max_score)
               | "  \(.name)  \(.score)/\(.max_score)  \(.status)\n"
                 + ((.output // "") | split("\n") | .[:6] | map("      " + .) | join("\n"))' "$1" \
            | head -n "${2:-200}"
    }

    stage "solutions: grader/grade --submission solutions --jobs 2"
    start=$SECONDS rc=0
    grader/grade --submission solutions --jobs 2 --json /root/log/solutions.json \
        >/root/log/solutions.txt 2>&1 || rc=$?
    echo "grader exit $rc in $((SECONDS - start)) s"
    if jq -e '.score == .max_score and .max_score > 0
              and ([.tests[] | select(.status != "passed")] | length == 0)' \
            /root/log/solutions.json >/dev/null 2>&1; then
        echo "ok   solutions: $(jq -r '"\(.score)/\(.max_score) points, \(.tests | length) tests"' \
            /root/log/solutions.json), every test passed"
    elif [ -s /root/log/solutions.json ]; then
        fail "solutions: $(jq -r '"\(.score)/\(.max_score)"' /root/log/solutions.json); tests short of full marks:"
        failing /root/log/solutions.json
    else
        fail "solutions: no results; the grader said:"
        tail -n 40 /root/log/solutions.txt | sed 's/^/  | /'
    fi

    # What `make watch` and `make check-fast` grade with (AddressSanitizer);
    # `make test-solutions` proves it on the machine it runs on.
    stage "solutions, fast: grader/grade --fast --submission solutions --jobs 2"
    start=$SECONDS rc=0
    grader/grade --fast --submission solutions --jobs 2 --json /root/log/solutions-fast.json \
        >/root/log/solutions-fast.txt 2>&1 || rc=$?
    echo "grader exit $rc in $((SECONDS - start)) s"
    if jq -e '.score == .max_score and .max_score > 0' /root/log/solutions-fast.json >/dev/null 2>&1; then
        echo "ok   solutions, --fast: $(jq -r '"\(.score)/\(.max_score) points"' /root/log/solutions-fast.json)"
    elif [ -s /root/log/solutions-fast.json ]; then
        fail "solutions, --fast: $(jq -r '"\(.score)/\(.max_score)"' /root/log/solutions-fast.json); tests short of full marks:"
        failing /root/log/solutions-fast.json
    else
        fail "solutions, --fast: no results; the grader said:"
        tail -n 40 /root/log/solutions-fast.txt | sed 's/^/  | /'
    fi

    stage "stubs: grader/grade --submission exercises --jobs 2"
    start=$SECONDS rc=0
    grader/grade --submission exercises --jobs 2 --json /root/log/stubs.json \
        >/root/log/stubs.txt 2>&1 || rc=$?
    echo "grader exit $rc in $((SECONDS - start)) s"
    if [ "$rc" -gt 1 ] || ! [ -s /root/log/stubs.json ]; then
        fail "stubs: the grader failed (exit $rc):"
        tail -n 40 /root/log/stubs.txt | sed 's/^/  | /'
    elif jq -e '(.tests | length > 0) and ([.tests[] | select(.score != 0)] | length == 0)' \
            /root/log/stubs.json >/dev/null; then
        echo "ok   stubs: every one of $(jq '.tests | length' /root/log/stubs.json) tests scores 0"
    else
        fail "stubs: tests that earn points against the stubs:"
        jq -r '.tests[] | select(.score != 0) | "  \(.name)  \(.score)/\(.max_score)"' \
            /root/log/stubs.json
    fi
    exit $((failures > 0))
fi

# ---------------------------------------------------------------------------
# Outside: make the release, copy the course in, mount, run the part above.
dist=${1:?usage: check-distro.sh DIST OUT_DIR [CMD...]}
out=${2:?usage: check-distro.sh DIST OUT_DIR [CMD...]}
shift 2
mirror=${MIRROR:-http://deb.debian.org/debian}
[ "$(id -u)" = 0 ] || { echo "check-distro: needs root (debootstrap, chroot, mount)" >&2; exit 2; }
command -v debootstrap >/dev/null \
    || { echo "check-distro: debootstrap is missing: apt-get install debootstrap" >&2; exit 2; }

# A mount namespace of our own: nothing mounted here is seen outside, and it
# all goes with the last process, whatever kills us.
if [ -z "${CHECK_DISTRO_UNSHARED:-}" ]; then
    CHECK_DISTRO_UNSHARED=1 exec unshare --mount --propagation private "$0" "$dist" "$out" "$@"
fi

root_src=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out/$dist" && top=$(cd "$out/$dist" && pwd)
base=$top/base root=$top/root log=$top/log
total_start=$SECONDS

# One full run of a release at a time (it removes and remakes root/); RUN=
# commands may share the root with each other, never with a full run.
exec 9>"$top/.lock"
if [ $# -gt 0 ]; then lock=-s; else lock=-x; fi
flock "$lock" -n 9 || { echo "check-distro: another make test-distro DIST=$dist is using $top" >&2; exit 2; }

# mounted_under DIR: prints the mount points at or below DIR (this namespace).
mounted_under() { awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo; }

unmount_all() {
    local m
    # Deepest first; lazily if something still holds one.
    for m in $(mounted_under "$root" | sort -r); do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
    if [ -n "$(mounted_under "$root")" ]; then
        echo "check-distro: still mounted under $root: $(mounted_under "$root" | xargs)" >&2
        return 1
    fi
}
trap 'unmount_all' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

if [ $# -gt 0 ]; then
    [ -f "$root/work/course/Makefile" ] \
        || { echo "check-distro: no earlier run in $root: run make test-distro DIST=$dist first" >&2; exit 2; }
    echo "check-distro: in the last run's Debian $dist root, /work/course: $*"
else
    echo "check-distro: Debian $dist from $mirror, course $(git -C "$root_src" rev-parse --short HEAD) (committed HEAD)"
fi

# --- The pristine release, made once --------------------------------------
if [ $# -gt 0 ]; then
    :
elif [ -f "$top/base.ok" ] && [ -d "$base" ]; then
    echo "== base: cached $base (made $(cat "$top/base.ok"))"
else
    echo "== base: debootstrap --variant=minbase $dist (a few minutes; log: $top/debootstrap.txt)"
    mkdir -p "$top/apt"
    [ -z "$(mounted_under "$base")" ] || { echo "check-distro: mounts under $base" >&2; exit 2; }
    rm -rf "$base" "$base.tmp"
    start=$SECONDS
    if ! debootstrap --variant=minbase --cache-dir="$top/apt" "$dist" "$base.tmp" "$mirror" \
            >"$top/debootstrap.txt" 2>&1; then
        echo "FAIL debootstrap; its last lines:"; tail -n 20 "$top/debootstrap.txt" | sed 's/^/  | /'
        exit 1
    fi
    # What every Debian image does in a chroot: no daemon starts from a
    # package's install script (openssh-server's, here).
    printf '#!/bin/sh\nexit 101\n' >"$base.tmp/usr/sbin/policy-rc.d"
    chmod 755 "$base.tmp/usr/sbin/policy-rc.d"
    mv "$base.tmp" "$base"
    date '+%F %T' >"$top/base.ok"
    echo "debootstrap: $((SECONDS - start)) s"
fi

# --- This run's root: a fresh copy of base, the course in it ----------------
[ -z "$(mounted_under "$root")" ] || { echo "check-distro: mounts under $root" >&2; exit 2; }
if [ $# = 0 ]; then
    rm -rf "$root" "$log" && mkdir -p "$log" "$top/apt"
    start=$SECONDS
    cp -a "$base" "$root"
    mkdir -p "$root/work/course" "$root/root/log"
    git -C "$root_src" archive HEAD | tar -x -C "$root/work/course"
    cp "$0" "$root/root/check-distro.sh"
    echo "== root: fresh copy of base, course in /work/course ($((SECONDS - start)) s)"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"

# --- Mounts ----------------------------------------------------------------
# The root bound onto itself, so that it is a mount point as a machine's or
# a container's root is (the grader's sandbox makes / private to unshare).
mount --bind "$root" "$root"
mount -t proc proc "$root/proc"
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$root/sys"
mount -t tmpfs -o mode=0755,nosuid,size=16m devtmp "$root/dev"
for node in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
    IFS=: read -r name major minor <<<"$node"
    mknod -m 666 "$root/dev/$name" c "$major" "$minor"
done
mkdir -p "$root/dev/pts" "$root/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$root/dev/pts"
ln -s pts/ptmx "$root/dev/ptmx"
mount -t tmpfs -o mode=1777,nosuid,nodev shm "$root/dev/shm"
ln -s /proc/self/fd "$root/dev/fd"
ln -s /proc/self/fd/0 "$root/dev/stdin"
ln -s /proc/self/fd/1 "$root/dev/stdout"
ln -s /proc/self/fd/2 "$root/dev/stderr"
# Downloads kept between runs (apt leaves them in its archive folder).
mkdir -p "$root/var/cache/apt/archives"
mount --bind "$top/apt" "$root/var/cache/apt/archives"

# --- The README's commands, inside ----------------------------------------
inside() {
    env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        TERM=dumb LANG=C.UTF-8 chroot "$root" "$@" </dev/null
}
if [ $# -gt 0 ]; then
    rc=0
    inside /bin/bash -c 'cd /work/course && exec "$@"' run "$@" || rc=$?
    exit "$rc"
fi
rc=0
inside /bin/bash /root/check-distro.sh --inside || rc=$?
cp -a "$root/root/log/." "$log/" 2>/dev/null || true
echo "check-distro: logs and JSON in $log"
echo "check-distro: $dist took $((SECONDS - total_start)) s in all"
if [ "$rc" = 0 ]; then echo "check-distro: Debian $dist passed"; else echo "check-distro: Debian $dist FAILED"; fi
exit "$rc"
