/**
 * @file sandbox_root.c
 * @brief The file system a sandboxed process sees: an allowlist of the
 *        host, built from nothing.
 *
 * Rules:
 *  1. The root is an empty tmpfs. Nothing of the host is in it unless it
 *     is named below: what is not named does not exist for learner code
 *     (homes, the course, other students' copies, /var, /run, /srv...).
 *  2. System code comes in read-only, nosuid and nodev: /usr and the
 *     top-level links or directories into it (bin, sbin, lib, lib64...),
 *     and a few named files of /etc that compilers, the dynamic linker,
 *     Valgrind and GDB read.
 *  3. /dev holds only null, zero, full, random and urandom, and links to
 *     /proc/self/fd. /proc is a new instance with hidepid=invisible: a
 *     sandboxed process sees only its own uid's processes, never the
 *     grader's command line.
 *  4. The only writable places are a fresh /tmp and /dev/shm (tmpfs, gone
 *     with the namespace) and the exercise's work directory, bound at its
 *     own path. Nothing written elsewhere can outlive the grading.
 *  5. Directories to hide (the course, the hidden tests) that the allowlist
 *     still reaches (a course under /usr/local) are covered by an empty
 *     read-only tmpfs.
 *  6. Every step is checked; a failure ends the child (sandbox.c's die()),
 *     so a sandbox is whole or absent. sandbox_probe() builds one root in a
 *     throw-away child first, so a machine that refuses it is told once.
 *
 * Runs as root in the sandbox's child, after unshare(CLONE_NEWNS) and
 * before the uid change. The host's mount table is never touched: every
 * mount is made in the child's own namespace.
 */
#define _GNU_SOURCE
#include "sandbox_root.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/** Where the new root is assembled: a mount point that every Linux has,
 *  covered by the root's tmpfs in this namespace only. */
#define NEW_ROOT "/tmp"

/** Size of the writable tmpfs mounts (/tmp, /dev/shm) of a sandbox. */
#define WRITABLE_OPTIONS "size=256m,mode=1777"

/** Flags of every read-only mount of host files. */
#define READ_ONLY_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV)

/** Top-level names of the host that hold system code: each is a link into
 *  /usr (merged /usr, Debian 12 and 13) or a directory of its own. */
static const char *const system_dirs[] = {
    "usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", NULL,
};

/** The pieces of /etc that sandboxed tools read: the dynamic linker's
 *  cache, Debian's alternatives (cc, c++, ld), names for uids, the time
 *  zone, GDB's and Valgrind's system configuration. */
static const char *const etc_pieces[] = {
    "alternatives", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime",
    "passwd", "group", "nsswitch.conf", "gdb", "valgrind", NULL,
};

/** The device nodes a test may open. */
static const char *const devices[] = { "null", "zero", "full", "random", "urandom", NULL };

/** Links in /dev that programs expect, to the process's own descriptors. */
static const char *const dev_links[][2] = {
    { "fd", "/proc/self/fd" },     { "stdin", "/proc/self/fd/0" },
    { "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
};

/* Joins @p dir and @p name under the new root into @p out; false when it
 * does not fit. */
static bool path_in_root(char out[PATH_MAX], const char *dir, const char *name)
{
    int n = snprintf(out, PATH_MAX, "%s%s%s%s", NEW_ROOT, dir, name[0] ? "/" : "", name);
    return n > 0 && n < PATH_MAX;
}

/* Creates the mount point @p target for @p source's kind (an empty
 * directory, or an empty file for anything else). */
static int mount_point_make(const char *target, mode_t source_mode)
{
    if (S_ISDIR(source_mode))
        return mkdir(target, 0755) == 0 || errno == EEXIST ? 0 : -1;
    int fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

/* Brings host @p source into the root at @p target, read-only. A link is
 * copied as a link (its target is resolved inside the root); a file or
 * directory is bound. A missing source is no error: the allowlist names
 * what may come in, not what must. */
static int bring_read_only(const char *source, const char *target)
{
    struct stat st;
    if (lstat(source, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (S_ISLNK(st.st_mode)) {
        char link[PATH_MAX];
        ssize_t len = readlink(source, link, sizeof(link) - 1);
        if (len < 0)
            return -1;
        link[len] = '\0';
        return symlink(link, target);
    }
    if (mount_point_make(target, st.st_mode) != 0
        || mount(source, target, NULL, MS_BIND | MS_REC, NULL) != 0)
        return -1;
    /* A bind mount takes its flags only from a remount of itself. */
    return mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | READ_ONLY_FLAGS, NULL);
}

/* System code and the named pieces of /etc. */
static int system_bring(void)
{
    char source[PATH_MAX], target[PATH_MAX];
    for (const char *const *name = system_dirs; *name; name++) {
        snprintf(source, sizeof(source), "/%s", *name);
        if (!path_in_root(target, "", *name) || bring_read_only(source, target) != 0)
            return -1;
    }
    if (!path_in_root(target, "", "etc") || mkdir(target, 0755) != 0)
        return -1;
    for (const char *const *name = etc_pieces; *name; name++) {
        snprintf(source, sizeof(source), "/etc/%s", *name);
        if (!path_in_root(target, "/etc", *name) || bring_read_only(source, target) != 0)
            return -1;
    }
    return 0;
}

/* /dev with the named nodes, its links and a private /dev/shm; /proc
 * showing only the sandbox's own processes. */
static int kernel_files_make(void)
{
    char source[PATH_MAX], target[PATH_MAX];
    if (!path_in_root(target, "", "dev") || mkdir(target, 0755) != 0
        || mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,mode=0755") != 0)
        return -1;
    for (const char *const *name = devices; *name; name++) {
        snprintf(source, sizeof(source), "/dev/%s", *name);
        if (!path_in_root(target, "/dev", *name) || mount_point_make(target, 0) != 0
            || mount(source, target, NULL, MS_BIND, NULL) != 0)
            return -1;
    }
    for (size_t i = 0; i < sizeof(dev_links) / sizeof(*dev_links); i++) {
        if (!path_in_root(target, "/dev", dev_links[i][0])
            || symlink(dev_links[i][1], target) != 0)
            return -1;
    }
    if (!path_in_root(target, "/dev", "shm") || mkdir(target, 01777) != 0
        || mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, WRITABLE_OPTIONS) != 0)
        return -1;
    if (!path_in_root(target, "", "proc") || mkdir(target, 0555) != 0)
        return -1;
    const unsigned long proc_flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
    /* "invisible" since Linux 5.8; 2 is the same on older kernels. */
    if (mount("proc", target, "proc", proc_flags, "hidepid=invisible") != 0
        && mount("proc", target, "proc", proc_flags, "hidepid=2") != 0)
        return -1;
    return 0;
}

/* Creates @p path's directories inside the root (root, 0755). */
static int parents_make(char *path)
{
    for (char *p = path + strlen(NEW_ROOT) + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int made = mkdir(path, 0755) == 0 || errno == EEXIST;
        *p = '/';
        if (!made)
            return -1;
    }
    return mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

/* A fresh /tmp, and the work directory @p kept (an O_PATH descriptor of
 * @p keep, opened before the host's /tmp was covered) at its own path. */
static int writable_make(const char *keep, int kept)
{
    char target[PATH_MAX];
    if (!path_in_root(target, "", "tmp") || mkdir(target, 01777) != 0
        || mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, WRITABLE_OPTIONS) != 0)
        return -1;
    if (!keep)
        return 0;
    char from[64];
    snprintf(from, sizeof(from), "/proc/self/fd/%d", kept);
    if (!path_in_root(target, keep, "") || parents_make(target) != 0
        || mount(from, target, NULL, MS_BIND, NULL) != 0)
        return -1;
    return mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV, NULL);
}

/* Makes the assembled tree the root, the host's old root detached. Inside
 * a chroot whose root is no mount point, pivot_root() is refused (EINVAL):
 * then chroot() does, since the sandbox's uid may not chroot() again to
 * climb out, and the old root's mounts are reachable by no path. */
static int root_switch(void)
{
    if (chdir(NEW_ROOT) != 0)
        return -1;
    if (syscall(SYS_pivot_root, ".", ".") == 0) {
        if (umount2(".", MNT_DETACH) != 0)
            return -1;
    } else if (errno != EINVAL || chroot(".") != 0) {
        return -1;
    }
    if (chdir("/") != 0)
        return -1;
    /* The root itself holds only mount points: nobody writes there. */
    return mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV,
                 NULL);
}

/* Covers what the allowlist still reaches of @p hide. */
static int hidden_cover(const char *const hide[SANDBOX_HIDE_MAX])
{
    struct stat st;
    for (size_t i = 0; i < SANDBOX_HIDE_MAX; i++) {
        if (hide[i] && stat(hide[i], &st) == 0 && S_ISDIR(st.st_mode)
            && mount("tmpfs", hide[i], "tmpfs", READ_ONLY_FLAGS, "size=4k,mode=0755") != 0)
            return -1;
    }
    return 0;
}

int sandbox_root_enter(const char *keep, const char *const hide[SANDBOX_HIDE_MAX])
{
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
        return -1;
    int kept = keep ? open(keep, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
    if (keep && kept < 0)
        return -1;
    int err = mount("tmpfs", NEW_ROOT, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755") != 0
              || system_bring() != 0 || kernel_files_make() != 0
              || writable_make(keep, kept) != 0 || root_switch() != 0
              || hidden_cover(hide) != 0;
    if (kept >= 0)
        close(kept);
    return err ? -1 : 0;
}
