/**
 * @file io_faults.c
 * @brief The file calls seen by learner code: counted, failed on request.
 *
 * Learner objects call these functions instead of the C library's (the
 * grader renames them). Policy: io_fail_once_after(n) lets n calls
 * succeed and fails the next one, once. Unlike memory, which stays short,
 * one failed I/O call usually leaves the others working: the error path
 * must still be able to close and remove what it made, and is tested so.
 *
 * Closing calls are special: a failed close still closes (Linux releases a
 * descriptor even when close() reports EIO), so a program that handles the
 * error correctly never leaks because of the injection. A failed close of
 * something opened read-only is counted as harmless: nothing was lost.
 */
#define _GNU_SOURCE
#include "io_faults.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* The learner's counted allocator (grader/harness/alloc_faults.c). */
void *course_malloc(size_t size);
void *course_realloc(void *block, size_t size);

/** The injection state; one per test process. */
static struct {
    bool failing_armed;    /* a failure is armed and has not happened */
    size_t successes_left; /* calls still allowed when armed */
    size_t read_max;       /* cap on bytes per read; 0: no cap */
    size_t write_max;      /* cap on bytes per write; 0: no cap */
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

/* Decides the fate of a close of fd: the close happens either way. */
static bool close_must_fail(int fd)
{
    bool writable = fd >= 0 && fd_writable(fd);
    if (!must_fail(EIO))
        return false;
    if (!writable)
        state.stats.failed_harmless++;
    return true;
}

/* The mode argument of open(2), present when a file may be created. */
static mode_t open_mode(int flags, va_list args)
{
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE
               ? (mode_t)va_arg(args, int) : 0;
}

/**
 * @brief open() as learner code sees it: fails with EMFILE on request.
 * @param[in] path  the file, borrowed.
 * @param[in] flags open(2) flags; O_CREAT or O_TMPFILE take a mode after.
 * @return a new descriptor owned by the caller (release it with close()),
 *         or -1 with errno set.
 */
int course_open(const char *path, int flags, ...)
{
    va_list args;
    va_start(args, flags);
    mode_t mode = open_mode(flags, args);
    va_end(args);
    return must_fail(EMFILE) ? -1 : open(path, flags, mode);
}

/**
 * @brief openat() as learner code sees it: fails with EMFILE on request.
 * @param[in] dir_fd the directory @p path is relative to, borrowed.
 * @param[in] path   the file, borrowed.
 * @param[in] flags  open(2) flags; O_CREAT or O_TMPFILE take a mode after.
 * @return a new descriptor owned by the caller, or -1 with errno set.
 */
int course_openat(int dir_fd, const char *path, int flags, ...)
{
    va_list args;
    va_start(args, flags);
    mode_t mode = open_mode(flags, args);
    va_end(args);
    return must_fail(EMFILE) ? -1 : openat(dir_fd, path, flags, mode);
}

/**
 * @brief creat() as learner code sees it: fails with EMFILE on request.
 * @param[in] path the file, borrowed.
 * @param[in] mode its permissions if created.
 * @return a new descriptor owned by the caller, or -1 with errno set.
 */
int course_creat(const char *path, mode_t mode)
{
    return must_fail(EMFILE) ? -1 : creat(path, mode);
}

/* Applies a short-transfer cap (0: none) to a byte count. */
static size_t capped(size_t count, size_t max)
{
    return max && count > max ? max : count;
}

/**
 * @brief read() as learner code sees it: fails with EIO on request, may
 *        be made short by io_short_transfers().
 * @param[in]  fd     the descriptor, borrowed.
 * @param[out] buffer receives the bytes read.
 * @param[in]  count  room in @p buffer.
 * @return bytes read (0 at end of file), or -1 with errno set.
 */
ssize_t course_read(int fd, void *buffer, size_t count)
{
    return must_fail(EIO) ? -1 : read(fd, buffer, capped(count, state.read_max));
}

/**
 * @brief write() as learner code sees it: fails with ENOSPC on request,
 *        may be made short by io_short_transfers().
 * @param[in] fd     the descriptor, borrowed.
 * @param[in] buffer the bytes to write, borrowed.
 * @param[in] count  how many.
 * @return bytes written, possibly fewer than @p count, or -1 with errno set.
 */
ssize_t course_write(int fd, const void *buffer, size_t count)
{
    return must_fail(ENOSPC) ? -1 : write(fd, buffer, capped(count, state.write_max));
}

/**
 * @brief close() as learner code sees it: on an injected failure the
 *        descriptor is closed all the same and -1/EIO is returned.
 * @param[in] fd the descriptor, taken.
 * @return 0, or -1 with errno set (the descriptor is released either way).
 */
int course_close(int fd)
{
    bool fail = close_must_fail(fd);
    int result = close(fd);
    if (fail && result == 0) {
        errno = EIO;
        return -1;
    }
    return result;
}

/**
 * @brief fopen() as learner code sees it: fails with EMFILE on request.
 * @param[in] path the file, borrowed.
 * @param[in] mode the fopen(3) mode, borrowed.
 * @return a new stream owned by the caller (release it with fclose()), or
 *         NULL with errno set.
 */
FILE *course_fopen(const char *path, const char *mode)
{
    return must_fail(EMFILE) ? NULL : fopen(path, mode);
}

/**
 * @brief fdopen() as learner code sees it: fails with EMFILE on request.
 * @param[in] fd   the descriptor, taken by the stream on success; still
 *                 the caller's on failure, as with the real fdopen().
 * @param[in] mode the fopen(3) mode, borrowed.
 * @return a new stream owned by the caller, or NULL with errno set.
 */
FILE *course_fdopen(int fd, const char *mode)
{
    return must_fail(EMFILE) ? NULL : fdopen(fd, mode);
}

/**
 * @brief fclose() as learner code sees it: on an injected failure the
 *        stream is closed all the same and EOF/EIO is returned.
 * @param[in] stream the stream, taken.
 * @return 0, or EOF with errno set (the stream is released either way).
 */
int course_fclose(FILE *stream)
{
    bool fail = close_must_fail(stream ? fileno(stream) : -1);
    int result = fclose(stream);
    if (fail && result == 0) {
        errno = EIO;
        return EOF;
    }
    return result;
}

/**
 * @brief opendir() as learner code sees it: fails with EMFILE on request.
 * @param[in] path the directory, borrowed.
 * @return a new directory stream owned by the caller (release it with
 *         closedir()), or NULL with errno set.
 */
DIR *course_opendir(const char *path)
{
    return must_fail(EMFILE) ? NULL : opendir(path);
}

/**
 * @brief fdopendir() as learner code sees it: fails with EMFILE on request.
 * @param[in] fd a directory descriptor, taken by the stream on success;
 *               still the caller's on failure.
 * @return a new directory stream owned by the caller, or NULL with errno.
 */
DIR *course_fdopendir(int fd)
{
    return must_fail(EMFILE) ? NULL : fdopendir(fd);
}

/**
 * @brief closedir() as learner code sees it: on an injected failure the
 *        stream is closed all the same and -1/EIO is returned.
 * @param[in] dir the directory stream, taken.
 * @return 0, or -1 with errno set (the stream is released either way).
 */
int course_closedir(DIR *dir)
{
    bool fail = close_must_fail(-1);
    int result = closedir(dir);
    if (fail && result == 0) {
        errno = EIO;
        return -1;
    }
    return result;
}

/**
 * @brief mkdir() as learner code sees it: fails with ENOSPC on request.
 * @param[in] path the directory to create, borrowed.
 * @param[in] mode its permissions.
 * @return 0, or -1 with errno set.
 */
int course_mkdir(const char *path, mode_t mode)
{
    return must_fail(ENOSPC) ? -1 : mkdir(path, mode);
}

/**
 * @brief mkdtemp() as learner code sees it: fails with ENOSPC on request,
 *        leaving the template as it was.
 * @param[in,out] template a name ending in XXXXXX, borrowed; the X's are
 *                         replaced on success.
 * @return @p template on success, NULL with errno set on failure.
 */
char *course_mkdtemp(char *template)
{
    return must_fail(ENOSPC) ? NULL : mkdtemp(template);
}

/**
 * @brief getdelim() as learner code sees it: glibc's contract, with the
 *        buffer grown through the learner's counted allocator.
 *
 * On failure to grow the buffer it returns -1 with errno ENOMEM; *line and
 * *size then still describe a valid block, which the caller frees.
 *
 * @param[in,out] line   the buffer, owned by the caller, or NULL; may be
 *                       replaced by a larger one.
 * @param[in,out] size   its size in bytes.
 * @param[in]     delim  the byte that ends a record.
 * @param[in]     stream the stream, borrowed.
 * @return the record's length, delimiter included; -1 at end of file, on a
 *         read error or when out of memory.
 */
ssize_t course_getdelim(char **line, size_t *size, int delim, FILE *stream)
{
    if (!line || !size || !stream) {
        errno = EINVAL;
        return -1;
    }
    size_t len = 0;
    for (;;) {
        int c = getc(stream);
        if (c == EOF) {
            if (len == 0 || ferror(stream))
                return -1;
            break;
        }
        if (!*line || len + 2 > *size) {
            size_t grown = *line && *size ? *size * 2 : 120;
            char *block = course_realloc(*line, grown);
            if (!block)
                return -1; /* errno is ENOMEM */
            *line = block;
            *size = grown;
        }
        (*line)[len++] = (char)c;
        if (c == delim)
            break;
    }
    (*line)[len] = '\0';
    return (ssize_t)len;
}

/**
 * @brief getline() as learner code sees it: see course_getdelim().
 * @param[in,out] line   the buffer, owned by the caller, or NULL.
 * @param[in,out] size   its size in bytes.
 * @param[in]     stream the stream, borrowed.
 * @return the line's length, newline included; -1 at end of file or error.
 */
ssize_t course_getline(char **line, size_t *size, FILE *stream)
{
    return course_getdelim(line, size, '\n', stream);
}

/**
 * @brief vasprintf() as learner code sees it: the string is allocated with
 *        the learner's counted allocator, so that freeing it balances.
 * @param[out] text   receives the new string, owned by the caller
 *                    (release it with free()); untouched on failure.
 * @param[in]  format the printf format, borrowed.
 * @param[in]  args   its arguments.
 * @return the number of characters written, or -1 (errno ENOMEM when the
 *         allocation was refused).
 */
int course_vasprintf(char **text, const char *format, va_list args)
{
    va_list again;
    va_copy(again, args);
    int len = vsnprintf(NULL, 0, format, args);
    char *block = len < 0 ? NULL : course_malloc((size_t)len + 1);
    if (block)
        vsnprintf(block, (size_t)len + 1, format, again);
    va_end(again);
    if (!block)
        return -1;
    *text = block;
    return len;
}

/**
 * @brief asprintf() as learner code sees it: see course_vasprintf().
 * @param[out] text   receives the new string, owned by the caller.
 * @param[in]  format the printf format, borrowed.
 * @return the number of characters written, or -1.
 */
int course_asprintf(char **text, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int len = course_vasprintf(text, format, args);
    va_end(args);
    return len;
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
