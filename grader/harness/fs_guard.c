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
 *    may neither write to it, read it, close it nor duplicate it;
 *  - the `*at` calls (openat, fstatat, mkdirat, unlinkat, renameat) start
 *    from AT_FDCWD or from a descriptor that learner code opened itself and
 *    has not closed (this file keeps the set): a descriptor the test or the
 *    harness holds is never a way out of the scratch directory.
 * A refused call fails as the C library would, with EACCES or EBADF.
 *
 * Every call that can fail in real life can be failed on purpose through
 * course_io_fault(), the reads inside stdio (fgets, fread, fgetc, getc,
 * getline, getdelim) and readdir included: an injected stdio failure sets
 * the stream's error indicator, as a failed read() would, so that ferror()
 * tells it from the end of the file.
 *
 * The set of learner descriptors is exact as long as learner code closes
 * what it opened through close, fclose or closedir (the renamed calls). A
 * test that closes a learner descriptor itself leaves a stale entry, which
 * only ever names a descriptor the test opens later, in the scratch
 * directory.
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

#include "course_protocol.h"

/** The harness's record pipe in every test child. */
#define RECORD_FD PROTO_RECORD_FD

/** Descriptors below this number can be learner descriptors; opens that
 *  return a higher one are refused (the tests never get near it). */
#define TRACKED_FDS 4096

/** Bit fd is set while descriptor fd is one that learner code opened. */
static unsigned char learner_fds[TRACKED_FDS / 8];

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

/* Records that learner code now holds (or no longer holds) fd. */
static void fd_mark(int fd, bool held)
{
    if (fd < 0 || fd >= TRACKED_FDS)
        return;
    unsigned char bit = (unsigned char)(1u << (fd % 8));
    if (held)
        __atomic_fetch_or(&learner_fds[fd / 8], bit, __ATOMIC_RELAXED);
    else
        __atomic_fetch_and(&learner_fds[fd / 8], (unsigned char)~bit, __ATOMIC_RELAXED);
}

/* A descriptor an open returned: remembered as the learner's, or closed
 * and refused when it is too high to remember. */
static int fd_opened(int fd)
{
    if (fd >= TRACKED_FDS) {
        close(fd);
        errno = EMFILE;
        return -1;
    }
    fd_mark(fd, true);
    return fd;
}

/* Whether learner code opened fd (and has not closed it). */
static bool fd_is_learners(int fd)
{
    return fd >= 0 && fd < TRACKED_FDS && fd != RECORD_FD
           && (__atomic_load_n(&learner_fds[fd / 8], __ATOMIC_RELAXED) & (1u << (fd % 8)));
}

/* A copy of from that dup, dup2 or fcntl made: the learner's only if from
 * is (a copy of standard input is no way out of the scratch directory). */
static int fd_copied(int from, int copy)
{
    if (copy < 0)
        return copy;
    if (!fd_is_learners(from)) {
        fd_mark(copy, false);
        return copy;
    }
    return fd_opened(copy);
}

/* Whether an *at call may start from dirfd; sets errno when not. */
static bool dirfd_ok(int dirfd)
{
    if (dirfd == AT_FDCWD || fd_is_learners(dirfd))
        return true;
    errno = EBADF;
    return false;
}

/** @cond INTERNAL */
/* The lesson's hook, declared in course_protocol.h; weak here, so that a
 * lesson without it fails nothing (a redeclaration: its type must match). */
int course_io_fault(const char *call, int fd, size_t *size) __attribute__((weak));
/** @endcond */


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

/* The result of a call that closes even when it fails (close() on EIO and
 * EINTR, as Linux does; fclose() on a write error), run although a failure
 * was injected (@p injected, an errno value or 0): its own failure stands,
 * else the injected one, as @p failed. */
static int closed_anyway(int injected, int result, int failed)
{
    if (injected && result == 0) {
        errno = injected;
        return failed;
    }
    return result;
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
    if (!path_ok(path))
        return -1;
    FAIL_IF_INJECTED("open", -1, NULL, -1);
    int fd = open(path, flags, mode);
    return fd < 0 ? fd : fd_opened(fd);
}

int course_openat(int dirfd, const char *path, int flags, ...)
{
    va_list args;
    va_start(args, flags);
    mode_t mode = mode_arg(flags, args);
    va_end(args);
    if (!dirfd_ok(dirfd) || !path_ok(path))
        return -1;
    FAIL_IF_INJECTED("openat", -1, NULL, -1);
    int fd = openat(dirfd, path, flags, mode);
    return fd < 0 ? fd : fd_opened(fd);
}

int course_creat(const char *path, mode_t mode)
{
    if (!path_ok(path))
        return -1;
    FAIL_IF_INJECTED("creat", -1, NULL, -1);
    int fd = creat(path, mode);
    return fd < 0 ? fd : fd_opened(fd);
}

FILE *course_fopen(const char *path, const char *how)
{
    if (!path_ok(path))
        return NULL;
    FAIL_IF_INJECTED("fopen", -1, NULL, NULL);
    FILE *stream = fopen(path, how);
    if (stream)
        fd_mark(fileno(stream), true);
    return stream;
}

DIR *course_opendir(const char *path)
{
    if (!path_ok(path))
        return NULL;
    FAIL_IF_INJECTED("opendir", -1, NULL, NULL);
    DIR *dir = opendir(path);
    if (dir)
        fd_mark(dirfd(dir), true);
    return dir;
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
    int fd = mkstemp(pattern);
    return fd < 0 ? fd : fd_opened(fd);
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
    int injected = io_fault("close", fd, NULL);
    fd_mark(fd, false);
    return closed_anyway(injected, close(fd), -1);
}

int course_dup(int fd)
{
    if (!fd_ok(fd))
        return -1;
    return fd_copied(fd, dup(fd));
}

int course_dup2(int fd, int to)
{
    if (!fd_ok(fd) || !fd_ok(to))
        return -1;
    return fd_copied(fd, dup2(fd, to));
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
    int injected = io_fault("fclose", stream ? fileno(stream) : -1, NULL);
    if (stream)
        fd_mark(fileno(stream), false);
    return closed_anyway(injected, fclose(stream), EOF);
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
    if (dir)
        fd_mark(dirfd(dir), false);
    return closed_anyway(injected, closedir(dir), -1);
}

int course_fcntl(int fd, int cmd, ...)
{
    va_list args;
    va_start(args, cmd);
    long arg = va_arg(args, long); /* every command's argument fits a long */
    va_end(args);
    if (!fd_ok(fd))
        return -1;
    int result = fcntl(fd, cmd, arg);
    if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)
        return fd_copied(fd, result);
    return result;
}

int course_fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
    return dirfd_ok(dirfd) && path_ok(path) ? fstatat(dirfd, path, st, flags) : -1;
}

int course_mkdirat(int dirfd, const char *path, mode_t mode)
{
    if (!dirfd_ok(dirfd) || !path_ok(path))
        return -1;
    FAIL_IF_INJECTED("mkdirat", -1, NULL, -1);
    return mkdirat(dirfd, path, mode);
}

/* Removing never fails on purpose: error paths must be able to clean up. */
int course_unlinkat(int dirfd, const char *path, int flags)
{
    return dirfd_ok(dirfd) && path_ok(path) ? unlinkat(dirfd, path, flags) : -1;
}

int course_renameat(int from_dirfd, const char *from, int to_dirfd, const char *to)
{
    if (!dirfd_ok(from_dirfd) || !path_ok(from) || !dirfd_ok(to_dirfd) || !path_ok(to))
        return -1;
    return renameat(from_dirfd, from, to_dirfd, to);
}

struct dirent *course_readdir(DIR *dir)
{
    FAIL_IF_INJECTED("readdir", dir ? dirfd(dir) : -1, NULL, NULL);
    return readdir(dir);
}

/* Fails a stdio read as a failed read() inside it would: the stream's
 * error indicator is set (glibc's flag, from its public struct_FILE.h), so
 * ferror() reports it and feof() does not. Returns the errno value, or 0
 * when the call may go on. */
static int stdio_read_fault(const char *call, FILE *stream)
{
    int injected = io_fault(call, stream ? fileno(stream) : -1, NULL);
    if (injected && stream) {
        stream->_flags |= _IO_ERR_SEEN;
        errno = injected;
    }
    return injected;
}

char *course_fgets(char *line, int size, FILE *stream)
{
    return stdio_read_fault("fgets", stream) ? NULL : fgets(line, size, stream);
}

size_t course_fread(void *data, size_t size, size_t count, FILE *stream)
{
    return stdio_read_fault("fread", stream) ? 0 : fread(data, size, count, stream);
}

int course_fgetc(FILE *stream)
{
    return stdio_read_fault("fgetc", stream) ? EOF : fgetc(stream);
}

int course_getc(FILE *stream)
{
    return stdio_read_fault("getc", stream) ? EOF : getc(stream);
}

/* alloc_faults.c's getdelim(), which grows the line through the counted
 * allocator; these add the read failure in front of it. */
ssize_t course_getdelim(char **line, size_t *size, int delim, FILE *stream);

ssize_t course_io_getdelim(char **line, size_t *size, int delim, FILE *stream)
{
    return stdio_read_fault("getdelim", stream) ? -1
                                                : course_getdelim(line, size, delim, stream);
}

ssize_t course_io_getline(char **line, size_t *size, FILE *stream)
{
    return stdio_read_fault("getline", stream) ? -1
                                               : course_getdelim(line, size, '\n', stream);
}
/** @endcond */
