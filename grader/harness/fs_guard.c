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

/**
 * @brief Fault injection hook: a lesson's support code may define it (lesson
 *        04's io_faults.c does) to make a learner's file call fail on purpose.
 *
 * Without a definition (a weak symbol left NULL), every call proceeds.
 *
 * @param[in]     call the C library function's name, such as "open".
 * @param[in]     fd   the descriptor the call works on, or -1.
 * @param[in,out] size for read and write, the byte count, which the hook may
 *                     lower to simulate a short transfer; NULL otherwise.
 * @return 0 to let the call proceed; otherwise the errno value it fails with.
 */
int course_io_fault(const char *call, int fd, size_t *size) __attribute__((weak));

/* The injected error for this call, or 0. */
static int io_fault(const char *call, int fd, size_t *size)
{
    return course_io_fault ? course_io_fault(call, fd, size) : 0;
}

/** Fails the enclosing wrapper with the injected error, if there is one. */
#define FAIL_IF_INJECTED(call, fd, size, failed) \
    do {                                         \
        int injected_ = io_fault(call, fd, size); \
        if (injected_) {                         \
            errno = injected_;                   \
            return failed;                       \
        }                                        \
    } while (0)

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
    if (!path_ok(path))
        return -1;
    FAIL_IF_INJECTED("open", -1, NULL, -1);
    return open(path, flags, mode);
}

int course_openat(int dirfd, const char *path, int flags, ...)
{
    va_list args;
    va_start(args, flags);
    mode_t mode = mode_arg(flags, args);
    va_end(args);
    if (!fd_ok(dirfd) || !path_ok(path))
        return -1;
    FAIL_IF_INJECTED("openat", -1, NULL, -1);
    return openat(dirfd, path, flags, mode);
}

int course_creat(const char *path, mode_t mode)
{
    if (!path_ok(path))
        return -1;
    FAIL_IF_INJECTED("creat", -1, NULL, -1);
    return creat(path, mode);
}

FILE *course_fopen(const char *path, const char *how)
{
    if (!path_ok(path))
        return NULL;
    FAIL_IF_INJECTED("fopen", -1, NULL, NULL);
    return fopen(path, how);
}

DIR *course_opendir(const char *path)
{
    if (!path_ok(path))
        return NULL;
    FAIL_IF_INJECTED("opendir", -1, NULL, NULL);
    return opendir(path);
}

int course_mkdir(const char *path, mode_t mode)
{
    if (!path_ok(path))
        return -1;
    FAIL_IF_INJECTED("mkdir", -1, NULL, -1);
    return mkdir(path, mode);
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
    if (!path_ok(pattern))
        return NULL;
    FAIL_IF_INJECTED("mkdtemp", -1, NULL, NULL);
    return mkdtemp(pattern);
}

int course_mkstemp(char *pattern)
{
    if (!path_ok(pattern))
        return -1;
    FAIL_IF_INJECTED("mkstemp", -1, NULL, -1);
    return mkstemp(pattern);
}

ssize_t course_write(int fd, const void *data, size_t size)
{
    if (!fd_ok(fd))
        return -1;
    FAIL_IF_INJECTED("write", fd, &size, -1);
    return write(fd, data, size);
}

ssize_t course_read(int fd, void *data, size_t size)
{
    if (!fd_ok(fd))
        return -1;
    FAIL_IF_INJECTED("read", fd, &size, -1);
    return read(fd, data, size);
}

int course_close(int fd)
{
    if (!fd_ok(fd))
        return -1;
    /* An injected failure still closes, as Linux does on EIO. */
    int injected = io_fault("close", fd, NULL);
    int result = close(fd);
    if (injected && result == 0) {
        errno = injected;
        return -1;
    }
    return result;
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
    if (!fd_ok(fd))
        return NULL;
    FAIL_IF_INJECTED("fdopen", fd, NULL, NULL);
    return fdopen(fd, how);
}

int course_fclose(FILE *stream)
{
    if (stream && !fd_ok(fileno(stream)))
        return EOF;
    /* An injected failure still closes, as fclose() does on a write error. */
    int injected = io_fault("fclose", stream ? fileno(stream) : -1, NULL);
    int result = fclose(stream);
    if (injected && result == 0) {
        errno = injected;
        return EOF;
    }
    return result;
}

DIR *course_fdopendir(int fd)
{
    if (!fd_ok(fd))
        return NULL;
    FAIL_IF_INJECTED("fdopendir", fd, NULL, NULL);
    return fdopendir(fd);
}

int course_closedir(DIR *dir)
{
    int injected = io_fault("closedir", -1, NULL);
    int result = closedir(dir);
    if (injected && result == 0) {
        errno = injected;
        return -1;
    }
    return result;
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
