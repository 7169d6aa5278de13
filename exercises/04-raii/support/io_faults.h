/**
 * @file io_faults.h
 * @brief I/O failure injection and descriptor counting for lesson 04.
 *
 * Learner file calls reach grader/harness/fs_guard.c, which confines them
 * to the test's scratch directory and then asks course_io_fault(), defined
 * in io_faults.c, whether they must fail. The test's own calls are never
 * failed.
 *
 * Calls that can be failed: open, openat, creat, mkstemp, read, write,
 * close, fopen, fdopen, fclose, opendir, fdopendir, readdir, closedir,
 * mkdir, mkdirat, mkdtemp, and the reads inside stdio: fgets, fread,
 * fgetc, getc, getline, getdelim (a failed one sets the stream's error
 * indicator, so ferror() is true and feof() is not). A failed close,
 * fclose or closedir still releases its descriptor or stream, as Linux
 * does: the failure is reported, the resource is gone anyway. Removing
 * (unlink, unlinkat, rmdir) never fails: error paths must be able to
 * clean up.
 *
 * getline() and getdelim() are the course's own (alloc_faults.c), built on
 * the counted allocator, so that their buffers can be failed and counted
 * like every other learner allocation.
 *
 * Each test runs in a fresh process: the state starts as "never fail, no
 * short transfers, all counters zero".
 */
#ifndef IO_FAULTS_H
#define IO_FAULTS_H

#include <stddef.h>

/** What the learner's code has done with the I/O calls so far. */
struct io_stats {
    size_t calls;           /**< Calls of any wrapped function. */
    size_t failed;          /**< Calls failed by injection. */
    size_t failed_harmless; /**< Of those, closes of read-only descriptors,
                                 streams or directories: failures a correct
                                 program may ignore. */
    size_t bad_closes;      /**< close() of a number that was not open: a
                                 double close, or a close retried after an
                                 error (Linux has already released it). */
};

/**
 * @brief Lets the next @p successes I/O calls by learner code succeed, and
 *        fails the one after them; later calls succeed again.
 *
 * One failure per arming: error paths then run with working I/O, so a
 * program can still clean up (remove a partial file, close what it
 * opened), as it usually can when one call has failed. Opens fail with
 * EMFILE, reads, readdir and closes with EIO (closes: see io_close_error()),
 * writes, mkdir, mkdirat and mkdtemp with ENOSPC.
 * `io_fail_once_after(0)` fails the very next call.
 *
 * @param[in] successes how many calls may succeed before the failing one;
 *                      a later call replaces the setting.
 */
void io_fail_once_after(size_t successes);

/** @brief Cancels a failure armed by io_fail_once_after() that has not
 *         happened yet. */
void io_fail_never(void);

/**
 * @brief Sets the errno value an injected close, fclose or closedir
 *        failure reports: EINTR, say, to check that nobody retries.
 * @param[in] error the errno value; 0 restores the default, EIO.
 */
void io_close_error(int error);

/**
 * @brief Runs @p hook once, just before the next learner call named
 *        @p call (such as "readdir"): lets a test change the file system
 *        in the middle of the learner's work, as another process could.
 * @param[in] call the C library function's name, borrowed (a literal).
 * @param[in] hook the test's function; NULL cancels.
 * @param[in] arg  passed to @p hook, borrowed.
 */
void io_before_call(const char *call, void (*hook)(void *), void *arg);

/**
 * @brief Makes read() and write() transfer at most @p read_max and
 *        @p write_max bytes per call, as a pipe, a socket or a signal can.
 * @param[in] read_max  the cap on reads, at least 1; 0 removes it.
 * @param[in] write_max the cap on writes, at least 1; 0 removes it.
 */
void io_short_transfers(size_t read_max, size_t write_max);

/**
 * @brief Reads the learner code's I/O counters.
 * @return the counters since the test began, by value.
 */
struct io_stats io_stats(void);

/**
 * @brief Counts the descriptors this process has open, standard streams
 *        included.
 *
 * Compare the count before and after a call to see a leaked descriptor:
 * every `FILE *` and `DIR *` holds one too.
 *
 * @return the number of entries of /proc/self/fd, not counting the one this
 *         function opens to read it.
 */
size_t io_open_fds(void);

/**
 * @brief Counts the entries of a directory, "." and ".." excepted.
 * @param[in] path the directory, borrowed.
 * @return the number of entries; (size_t)-1 if it cannot be opened.
 */
size_t io_dir_entries(const char *path);

/**
 * @brief Writes a whole file, replacing it if it exists (for test setup).
 * @param[in] path    the file, borrowed.
 * @param[in] content the bytes, borrowed.
 * @param[in] size    how many bytes of @p content to write.
 * @return 0 on success, -errno on failure.
 */
int io_write_file(const char *path, const void *content, size_t size);

/**
 * @brief Reads a whole file (for test checks).
 * @param[in]  path the file, borrowed.
 * @param[out] size receives its size in bytes.
 * @return a new block holding the bytes and a terminating NUL, owned by the
 *         caller (release it with free()); NULL if the file cannot be read.
 */
char *io_read_file(const char *path, size_t *size);

#endif /* IO_FAULTS_H */
