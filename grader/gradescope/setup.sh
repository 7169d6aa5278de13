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
# Usage: setup.sh [COURSE]      (GitHub Classroom: sudo grader/gradescope/setup.sh .)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
course=$(cd "${1:-$here/course}" && pwd)
packages="gcc make binutils pkg-config valgrind jq time libc6-dbg
          libcriterion-dev libjansson-dev libxml2-dev libelf-dev"

missing=$(for p in $packages; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || echo "$p"
done | xargs)
if [ -n "$missing" ]; then
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

# The course's Makefile would also install its authoring tools (doxygen,
# graphviz...): grading needs only what is above, so say it is done.
mkdir -p "$course/build"
touch "$course/build/.deps"
make --no-print-directory -s -C "$course" build/grader/grade
echo "setup.sh: grader built in $course/build/grader/grade"
