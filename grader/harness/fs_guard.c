/**
 * @file fs_guard.c
 * @brief The file functions learner code calls: confined to the test's
 *        scratch directory, and kept away from the harness's record pipe.
 *
 * A lesson that lets learner code use files (lesson 04) lists the functions
 * in its lesson.json "imports"; the grader renames the learner object's
 * calls to these (see learner.syms). Each test runs in a fresh scratch
 * directory, so a correct exercise needs nothing beyond it:
 *  - a path must be relative, non-empty, and have no ".." component, so it
 *    stays below the scratch directory (the grader's files, the Valgrind
 *    reports and /proc are all out of reach);
 *  - descriptor 3 is the test's record pipe to the harness: learner code
 *    may neither write to it, read it, close it nor duplicate it.
 * A refused call fails as the C library would, with EACCES or EBADF.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/** The harness's record pipe in every test child. */
#define RECORD_FD 3

/* True when @p path stays inside the current directory. */
static bool path_allowed(const char *path)
{
    if (!path || !path[0] || path[0] == '/')
        return false;
    for (const char *p = path; *p;) {
        size_t len = strcspn(p, "/");
        if (len == 2 && p[0] == '.' && p[1] == '.')
            return false;
        p += len;
        while (*p == '/')
            p++;
    }
    return true;
}

/* Sets errno and says whether the call may go on. */
static bool path_ok(const char *path)
{
    if (path_allowed(path))
        return true;
    errno = EACCES;
    return false;
}

static bool fd_ok(int fd)
{
    if (fd != RECORD_FD)
        return true;
    errno = EBADF;
    return false;
}

/* Calls taking an optional mode read it only when a file may be created. */
static mode_t mode_arg(int flags, va_list args)
{
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? va_arg(args, mode_t) : 0;
}

/** @cond LEARNER_WRAPPERS */
int course_open(const char *path, int flags, ...)
{
    va_list args;
    va_start(args, flags);
    mode_t mode = mode_arg(flags, args);
    va_end(args);
    return path_ok(path) ? open(path, flags, mode) : -1;
}

int course_openat(int dirfd, const char *path, int flags, ...)
{
    va_list args;
    va_start(args, flags);
    mode_t mode = mode_arg(flags, args);
    va_end(args);
    return fd_ok(dirfd) && path_ok(path) ? openat(dirfd, path, flags, mode) : -1;
}

int course_creat(const char *path, mode_t mode)
{
    return path_ok(path) ? creat(path, mode) : -1;
}

FILE *course_fopen(const char *path, const char *how)
{
    return path_ok(path) ? fopen(path, how) : NULL;
}

DIR *course_opendir(const char *path)
{
    return path_ok(path) ? opendir(path) : NULL;
}

int course_mkdir(const char *path, mode_t mode)
{
    return path_ok(path) ? mkdir(path, mode) : -1;
}

int course_rmdir(const char *path)
{
    return path_ok(path) ? rmdir(path) : -1;
}

int course_unlink(const char *path)
{
    return path_ok(path) ? unlink(path) : -1;
}

int course_remove(const char *path)
{
    return path_ok(path) ? remove(path) : -1;
}

int course_rename(const char *from, const char *to)
{
    return path_ok(from) && path_ok(to) ? rename(from, to) : -1;
}

int course_stat(const char *path, struct stat *st)
{
    return path_ok(path) ? stat(path, st) : -1;
}

int course_lstat(const char *path, struct stat *st)
{
    return path_ok(path) ? lstat(path, st) : -1;
}

int course_access(const char *path, int how)
{
    return path_ok(path) ? access(path, how) : -1;
}

int course_truncate(const char *path, off_t size)
{
    return path_ok(path) ? truncate(path, size) : -1;
}

char *course_mkdtemp(char *pattern)
{
    return path_ok(pattern) ? mkdtemp(pattern) : NULL;
}

int course_mkstemp(char *pattern)
{
    return path_ok(pattern) ? mkstemp(pattern) : -1;
}

ssize_t course_write(int fd, const void *data, size_t size)
{
    return fd_ok(fd) ? write(fd, data, size) : -1;
}

ssize_t course_read(int fd, void *data, size_t size)
{
    return fd_ok(fd) ? read(fd, data, size) : -1;
}

int course_close(int fd)
{
    return fd_ok(fd) ? close(fd) : -1;
}

int course_dup(int fd)
{
    return fd_ok(fd) ? dup(fd) : -1;
}

int course_dup2(int fd, int to)
{
    return fd_ok(fd) && fd_ok(to) ? dup2(fd, to) : -1;
}

FILE *course_fdopen(int fd, const char *how)
{
    return fd_ok(fd) ? fdopen(fd, how) : NULL;
}

int course_fcntl(int fd, int cmd, ...)
{
    va_list args;
    va_start(args, cmd);
    long arg = va_arg(args, long); /* every command's argument fits a long */
    va_end(args);
    return fd_ok(fd) ? fcntl(fd, cmd, arg) : -1;
}
/** @endcond */
