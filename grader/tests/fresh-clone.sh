#!/usr/bin/env bash
# A fresh clone of this checkout for a CI workflow's tests, owned by a
# non-root user as actions/checkout leaves it for the runner's user:
# `git clone`, then this checkout's uncommitted files (not exercises/) laid
# over it and committed, then handed to UID:GID.
# Usage: fresh-clone.sh DEST UID GID
set -euo pipefail
dest=$1 uid=$2 gid=$3
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$dest"
git clone -q "$root" "$dest"
(
    cd "$root"
    # (grep finds nothing in a checkout without uncommitted files: not an error)
    { git ls-files -m; git ls-files -o --exclude-standard; } | { grep -v '^exercises/' || true; } | sort -u \
        | while IFS= read -r f; do
            if [ -e "$f" ]; then mkdir -p "$dest/$(dirname "$f")" && cp -p "$f" "$dest/$f"; fi
        done
)
git -C "$dest" add -A
git -C "$dest" -c user.name=test -c user.email=test@localhost \
    commit -qm "this checkout's uncommitted files" >/dev/null 2>&1 || true
chown -R -h "$uid:$gid" "$dest"
