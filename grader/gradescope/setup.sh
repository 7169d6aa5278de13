#!/bin/bash
# Gradescope runs this once, as root, when it builds the autograder image:
# it installs what grading needs and builds the grader in COURSE (default:
# course/ next to this script, the autograder.zip layout). It works on
# Gradescope's Ubuntu 22.04 base image and on Debian 12, and installs
# nothing that is already there (so it also runs offline on a ready machine).
#
# The same package names on both; what differs:
#   - Ubuntu 22.04 has libcriterion-dev in "universe" (enabled here when
#     missing) and at 2.4.0~rc (Debian 12: 2.4.1);
#   - valgrind 3.18 (Debian 12: 3.19), gcc 11 (Debian 12: gcc 12);
#   - libc6-dbg: Ubuntu's valgrind needs it to read glibc's symbols.
#
# Usage: setup.sh [--packages-only | --build-only] [COURSE]
#   --packages-only  install the packages (root), build nothing
#   --build-only     build the grader (any user), install nothing
# In CI, root installs and the runner's own user builds:
#   sudo grader/gradescope/setup.sh --packages-only
#   grader/gradescope/setup.sh --build-only .
# Run whole through sudo (`sudo grader/gradescope/setup.sh .`), it builds as
# the user who ran sudo (SUDO_UID), never as root: a root-owned build/ in
# that user's checkout would stop every later grading ("flock: cannot open
# lock file build/.grader.lock: Permission denied").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
install=true build=true
case ${1-} in
--packages-only) build=false; shift ;;
--build-only) install=false; shift ;;
esac
course=
$build && { course=$(cd "${1:-$here/course}" && pwd) || exit 1; }
# The course's build folder: build/, or BUILD=x (grader/build-dir).
build_rel= build_dir=
$build && { build_rel=$("$course/grader/build-dir") && build_dir=$("$course/grader/build-dir" --absolute) || exit 1; }
packages="gcc make binutils pkg-config valgrind jq time libc6-dbg
          libcriterion-dev libjansson-dev libxml2-dev libelf-dev"

missing=$(for p in $packages; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || echo "$p"
done | xargs)
if $install && [ -n "$missing" ]; then
    . /etc/os-release
    export DEBIAN_FRONTEND=noninteractive
    if [ "${ID:-}" = ubuntu ] && ! grep -rqs '^deb .* universe' /etc/apt/sources.list /etc/apt/sources.list.d/ \
        && ! grep -rqs '^Components:.*universe' /etc/apt/sources.list.d/; then
        apt-get update -qq
        apt-get install -y -qq software-properties-common
        add-apt-repository -y universe
    fi
    echo "setup.sh: installing $missing (on ${PRETTY_NAME:-this system})"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing
fi

if ! $install && [ -n "$missing" ]; then
    echo "setup.sh: missing packages: $missing (install them first: sudo $0 --packages-only)" >&2
    exit 1
fi
$build || exit 0

# As whom to build: root on Gradescope; under sudo, the user who ran it.
as_user=()
if [ "$(id -u)" = 0 ] && [ -n "${SUDO_UID:-}" ] && [ "${SUDO_UID}" != 0 ]; then
    as_user=(setpriv --reuid="$SUDO_UID" --regid="${SUDO_GID:-$SUDO_UID}" --init-groups
             env HOME="$(getent passwd "$SUDO_UID" | cut -d: -f6)")
    if ! getent passwd "$SUDO_UID" >/dev/null; then
        as_user=(setpriv --reuid="$SUDO_UID" --regid="${SUDO_GID:-$SUDO_UID}" --clear-groups)
    fi
    # What an earlier root build left there (a setup.sh before this one).
    if [ -e "$build_dir" ] && [ -n "$(find "$build_dir" ! -uid "$SUDO_UID" -print -quit)" ]; then
        chown -R -h "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$build_dir"
    fi
fi
# The course's Makefile would also install its authoring tools (doxygen,
# graphviz...): grading needs only what is above, so say it is done.
"${as_user[@]}" mkdir -p "$build_dir"
"${as_user[@]}" touch "$build_dir/.deps"
"${as_user[@]}" make --no-print-directory -s -C "$course" BUILD="$build_rel" \
    "$build_rel/grader/grade" "$build_rel/harness/.stamp"
echo "setup.sh: grader built in $build_dir/grader/grade${as_user:+ (as uid $SUDO_UID)}"
