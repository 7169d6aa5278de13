/**
 * @file io_faults.c
 * @brief The file calls seen by learner code: counted, failed on request.
 *
 * Learner file calls reach grader/harness/fs_guard.c, which confines them
 * to the test's directory and then asks course_io_fault() here whether to
 * fail. (getline() and getdelim() reach grader/harness/alloc_faults.c,
 * which grows their buffers through the counted allocator.)
 *
 * Policy: io_fail_once_after(n) lets n calls succeed and fails the next
 * one, once. Unlike memory, which stays short, one failed I/O call usually
 * leaves the others working: the error path must still be able to close
 * and remove what it made, and is tested so.
 *
 * Closing calls are special: a failed close still closes (Linux releases a
 * descriptor even when close() reports EIO or EINTR), so a program that
 * handles the error correctly never leaks because of the injection. A
 * failed close of something opened read-only is counted as harmless:
 * nothing was lost. A close of a number that is not open is counted as a
 * bad close: that is what retrying close() after EINTR does on Linux.
 */
#define _GNU_SOURCE
#include "io_faults.h"
#include "course_protocol.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/** The injection state; one per test process. */
static struct {
    bool failing_armed;    /* a failure is armed and has not happened */
    size_t successes_left; /* calls still allowed when armed */
    int close_error;       /* errno of an injected close failure; 0: EIO */
    size_t read_max;       /* cap on bytes per read; 0: no cap */
    size_t write_max;      /* cap on bytes per write; 0: no cap */
    const char *hook_call; /* run hook before the next call of this name */
    void (*hook)(void *);  /* the test's function; NULL: none */
    void *hook_arg;        /* its argument, borrowed */
    struct io_stats stats; /* counters reported by io_stats() */
} state;

void io_fail_once_after(size_t successes)
{
    state.failing_armed = true;
    state.successes_left = successes;
}

void io_fail_never(void)
{
    state.failing_armed = false;
}

void io_close_error(int error)
{
    state.close_error = error;
}

void io_before_call(const char *call, void (*hook)(void *), void *arg)
{
    state.hook_call = call;
    state.hook = hook;
    state.hook_arg = arg;
}

void io_short_transfers(size_t read_max, size_t write_max)
{
    state.read_max = read_max;
    state.write_max = write_max;
}

struct io_stats io_stats(void)
{
    return state.stats;
}

/* Counts a call and decides whether it fails; sets errno when it does. */
static bool must_fail(int error)
{
    state.stats.calls++;
    if (!state.failing_armed)
        return false;
    if (state.successes_left > 0) {
        state.successes_left--;
        return false;
    }
    state.failing_armed = false; /* once */
    state.stats.failed++;
    errno = error;
    return true;
}

/* Whether closing fd could lose data: it was open for writing. */
static bool fd_writable(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    return flags >= 0 && (flags & O_ACCMODE) != O_RDONLY;
}

/* Decides the fate of a close of fd (-1: a directory stream): the close
 * happens either way. Returns the errno value to report, or 0. A close of
 * a number that is not open is counted: it closes nothing, or worse,
 * something another thread has just opened. */
static int close_fault(int fd)
{
    if (fd >= 0 && fcntl(fd, F_GETFD) < 0 && errno == EBADF)
        state.stats.bad_closes++;
    bool writable = fd >= 0 && fd_writable(fd);
    int error = state.close_error ? state.close_error : EIO;
    if (!must_fail(error))
        return 0;
    if (!writable)
        state.stats.failed_harmless++;
    return error;
}

/* Applies a short-transfer cap (0: none) to a byte count. */
static void cap(size_t *count, size_t max)
{
    if (max && *count > max)
        *count = max;
}

/* The injected error of each call fs_guard.c asks about. */
static const struct {
    const char *call; /* the C library function's name */
    int error;        /* the errno value it fails with */
} faults[] = {
    { "open", EMFILE },    { "openat", EMFILE },  { "creat", EMFILE },
    { "fopen", EMFILE },   { "fdopen", EMFILE },  { "opendir", EMFILE },
    { "mkstemp", EMFILE }, { "fdopendir", EMFILE },
    { "mkdir", ENOSPC },   { "mkdtemp", ENOSPC },
    { "mkdirat", ENOSPC }, { "read", EIO },       { "write", ENOSPC },
    { "readdir", EIO },    { "fgets", EIO },      { "fread", EIO },
    { "fgetc", EIO },      { "getc", EIO },       { "getline", EIO },
    { "getdelim", EIO },
};

/* Runs the test's hook if call is the one it waits for (once). */
static void run_hook(const char *call)
{
    if (!state.hook || strcmp(call, state.hook_call) != 0)
        return;
    void (*hook)(void *) = state.hook;
    state.hook = NULL;
    hook(state.hook_arg);
}

/* Documented in grader/harness/fs_guard.c, which calls it: every learner
 * file call asks here first whether it must fail. */
int course_io_fault(const char *call, int fd, size_t *size)
{
    run_hook(call);
    if (strcmp(call, "close") == 0 || strcmp(call, "fclose") == 0
        || strcmp(call, "closedir") == 0)
        return close_fault(fd);
    if (size)
        cap(size, strcmp(call, "read") == 0 ? state.read_max : state.write_max);
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++)
        if (strcmp(call, faults[i].call) == 0)
            return must_fail(faults[i].error) ? faults[i].error : 0;
    return 0; /* a call this file does not fail */
}

/* ---------- Helpers for the tests themselves (never renamed) ---------- */

size_t io_open_fds(void)
{
    DIR *dir = opendir("/proc/self/fd");
    if (!dir)
        return 0;
    size_t count = 0;
    for (struct dirent *entry; (entry = readdir(dir)) != NULL;)
        if (entry->d_name[0] != '.' && atoi(entry->d_name) != dirfd(dir))
            count++;
    closedir(dir);
    return count;
}

size_t io_dir_entries(const char *path)
{
    DIR *dir = opendir(path);
    if (!dir)
        return (size_t)-1;
    size_t count = 0;
    for (struct dirent *entry; (entry = readdir(dir)) != NULL;)
        if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
            count++;
    closedir(dir);
    return count;
}

int io_write_file(const char *path, const void *content, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -errno;
    const char *bytes = content;
    while (size > 0) {
        ssize_t done = write(fd, bytes, size);
        if (done < 0) {
            int err = -errno;
            close(fd);
            return err;
        }
        bytes += done;
        size -= (size_t)done;
    }
    return close(fd) < 0 ? -errno : 0;
}

char *io_read_file(const char *path, size_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    char *bytes = NULL;
    if (fstat(fd, &st) == 0 && (bytes = malloc((size_t)st.st_size + 1)) != NULL) {
        size_t done = 0;
        ssize_t got = 1;
        while (done < (size_t)st.st_size
               && (got = read(fd, bytes + done, (size_t)st.st_size - done)) > 0)
            done += (size_t)got;
        if (got <= 0 && done < (size_t)st.st_size) {
            free(bytes);
            bytes = NULL;
        } else {
            bytes[done] = '\0';
            *size = done;
        }
    }
    close(fd);
    return bytes;
}
