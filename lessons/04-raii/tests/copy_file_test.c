/*
 * Tests of copy_file.h.
 *
 * Each test runs in a fresh, empty directory. Every test ends by checking
 * the three things a leak would leave: a descriptor still open
 * (io_open_fds()), a block still allocated (alloc_live_blocks()) and, after
 * a failure, a partial destination file on disk.
 *
 * The fault-injection tests do not assume how many calls copy_file makes:
 * they fail the first call, then the second, and so on, until a run makes
 * no call that fails.
 */
#define _GNU_SOURCE
#include "course_test.h"
#include "alloc_faults.h"
#include "io_faults.h"
#include "copy_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Enough bytes for three reads of COPY_FILE_BUFFER_SIZE. */
#define BIG_SIZE (2 * COPY_FILE_BUFFER_SIZE + 1808)

/* Most runs a fault-injection loop makes before giving up. */
#define MAX_RUNS 200

/* Writes a test file of size bytes of a pattern that shows misplaced
 * chunks: byte i holds i * 7 + i / 251. Returns a copy of its bytes. */
static char *make_source(const char *path, size_t size)
{
    char *bytes = malloc(size ? size : 1);
    cr_assert(ne(ptr, bytes, NULL), "test setup: malloc failed");
    for (size_t i = 0; i < size; i++)
        bytes[i] = (char)(i * 7 + i / 251);
    cr_assert(eq(int, io_write_file(path, bytes, size), 0),
              "test setup: cannot write %s", path);
    return bytes;
}

/* Asserts that path holds exactly the size bytes of expected. */
static void assert_file_is(const char *path, const char *expected, size_t size,
                           const char *when)
{
    size_t got = 0;
    char *bytes = io_read_file(path, &got);

    cr_assert(ne(ptr, bytes, NULL), "%s: %s does not exist", when, path);
    cr_assert(eq(sz, got, size), "%s: %s has %zu bytes instead of %zu: "
              "a short read or write not retried?", when, path, got, size);
    cr_assert(eq(int, memcmp(bytes, expected, size), 0), "%s: %s does not "
              "hold the same bytes as the source", when, path);
    free(bytes);
}

/* Asserts that path does not exist. */
static void assert_absent(const char *path, const char *when)
{
    cr_assert(ne(int, access(path, F_OK), 0), "%s: %s still exists: a "
              "failed copy must remove the destination it created", when,
              path);
}

/* Asserts that the learner's code left no descriptor and no block. */
static void assert_nothing_left(size_t fds_before, const char *when)
{
    cr_assert(eq(sz, io_open_fds(), fds_before), "%s: %zu descriptor(s) "
              "left open: which path skips a close()?", when,
              io_open_fds() - fds_before);
    cr_assert(eq(sz, alloc_live_blocks(), 0), "%s: the buffer was not "
              "freed on this path", when);
}

GRADED_TEST(copy_file, copies_a_small_file, 2,
            .description = "copy_file copies a small file exactly and "
                           "leaves no descriptor open")
{
    size_t fds = io_open_fds();
    char *bytes = make_source("from", 100);

    cr_assert(eq(int, copy_file("from", "to"), 0), "copy_file failed on "
              "an ordinary 100-byte file");
    assert_file_is("to", bytes, 100, "after a copy");
    assert_file_is("from", bytes, 100, "after a copy, the source");
    assert_nothing_left(fds, "after a successful copy");
    free(bytes);
}

GRADED_TEST(copy_file, copies_a_file_larger_than_the_buffer, 2,
            .description = "copy_file copies a file that takes several "
                           "buffers, in order")
{
    size_t fds = io_open_fds();
    char *bytes = make_source("from", BIG_SIZE);

    cr_assert(eq(int, copy_file("from", "to"), 0), "copy_file failed on "
              "a %d-byte file", BIG_SIZE);
    assert_file_is("to", bytes, BIG_SIZE, "after a copy of three buffers");
    assert_nothing_left(fds, "after a successful copy");
    free(bytes);
}

GRADED_TEST(copy_file, copies_an_empty_file, 1,
            .description = "copy_file of an empty file creates an empty "
                           "file")
{
    size_t fds = io_open_fds();
    char *bytes = make_source("from", 0);

    cr_assert(eq(int, copy_file("from", "to"), 0), "copy_file failed on "
              "an empty file: read() returning 0 means end of file");
    assert_file_is("to", bytes, 0, "after copying an empty file");
    assert_nothing_left(fds, "after a successful copy");
    free(bytes);
}

GRADED_TEST(copy_file, survives_short_reads_and_writes, 2,
            .description = "copy_file loops until every byte is written "
                           "when read and write transfer fewer bytes than "
                           "asked")
{
    size_t fds = io_open_fds();
    char *bytes = make_source("from", BIG_SIZE);

    io_short_transfers(1000, 300);
    cr_assert(eq(int, copy_file("from", "to"), 0), "copy_file failed when "
              "read() moved at most 1000 bytes a call and write() 300");
    assert_file_is("to", bytes, BIG_SIZE, "with short reads and writes");
    assert_nothing_left(fds, "after a copy with short transfers");
    free(bytes);
}

GRADED_TEST(copy_file, missing_source_is_enoent, 1,
            .description = "copy_file of a missing file returns -ENOENT "
                           "and creates nothing")
{
    size_t fds = io_open_fds();
    char *bytes = make_source("from", 10);

    cr_assert(eq(int, copy_file("from", "to"), 0), "copy_file failed on "
              "an ordinary file");
    cr_assert(eq(int, copy_file("nothing", "other"), -ENOENT), "copying "
              "a file that does not exist must return -ENOENT (-errno "
              "from open)");
    assert_absent("other", "after a missing source");
    assert_nothing_left(fds, "after a missing source");
    free(bytes);
}

GRADED_TEST(copy_file, existing_destination_is_left_alone, 2,
            .description = "copy_file to an existing file returns -EEXIST "
                           "and neither changes nor removes that file")
{
    size_t fds = io_open_fds();
    char *bytes = make_source("from", 10);

    cr_assert(eq(int, io_write_file("to", "keep me", 7), 0), "test setup");
    cr_assert(eq(int, copy_file("from", "to"), -EEXIST), "the destination "
              "exists: copy_file must return -EEXIST (open it with "
              "O_CREAT | O_EXCL)");
    assert_file_is("to", "keep me", 7, "after -EEXIST (the file is not "
                   "yours: never remove what you did not create)");
    assert_nothing_left(fds, "after -EEXIST");
    free(bytes);
}

GRADED_TEST(copy_file, out_of_memory_is_clean, 1,
            .description = "when malloc fails, copy_file returns -ENOMEM, "
                           "removes the destination and closes both files")
{
    size_t fds = io_open_fds();
    char *bytes = make_source("from", 10);

    cr_assert(eq(int, copy_file("from", "ok"), 0), "copy_file failed on "
              "an ordinary file");
    alloc_fail_after(0);
    cr_assert(eq(int, copy_file("from", "to"), -ENOMEM), "malloc failed: "
              "copy_file must return -ENOMEM");
    alloc_fail_never();
    assert_absent("to", "after malloc failed");
    assert_nothing_left(fds, "after malloc failed");
    free(bytes);
}

GRADED_TEST(copy_file, every_failing_call_is_clean, 4,
            .description = "whichever open, read, write or close fails, "
                           "copy_file reports it, removes the partial copy "
                           "and leaks nothing",
            .timeout = 5)
{
    size_t fds = io_open_fds();
    char *bytes = make_source("from", BIG_SIZE);
    size_t run = 0;

    cr_assert(eq(int, copy_file("from", "first"), 0), "copy_file failed on "
              "an ordinary file");
    for (; run < MAX_RUNS; run++) {
        struct io_stats before = io_stats();

        io_fail_once_after(run);
        int err = copy_file("from", "to");
        io_fail_never();
        struct io_stats after = io_stats();
        size_t failed = after.failed - before.failed;
        size_t harmless = after.failed_harmless - before.failed_harmless;

        if (err == 0) {
            cr_assert(eq(sz, failed, harmless), "I/O call %zu failed and "
                      "copy_file returned 0: every failure of open, read, "
                      "write, or close of the destination must be "
                      "reported", run + 1);
            assert_file_is("to", bytes, BIG_SIZE, "after a run that "
                           "returned 0");
            cr_assert(eq(int, unlink("to"), 0), "test cleanup");
        } else {
            cr_assert(lt(int, err, 0), "copy_file returned %d: errors are "
                      "negative errno values", err);
            assert_absent("to", "after an I/O call failed");
        }
        assert_nothing_left(fds, "after an I/O call failed");
        if (failed == 0)
            break; /* this run made no call that failed: all were tried */
    }
    cr_assert(lt(sz, run, (size_t)MAX_RUNS), "copy_file made more than %d "
              "I/O calls for a 10000-byte file", MAX_RUNS);
    free(bytes);
}

GRADED_TEST(copy_file, failed_close_is_never_retried, 1,
            .description = "when close() fails with EINTR, copy_file "
                           "reports it and never calls close() again on "
                           "the same descriptor",
            .timeout = 5)
{
    size_t fds = io_open_fds();
    char *bytes = make_source("from", 100);
    size_t run = 0;

    cr_assert(eq(int, copy_file("from", "first"), 0), "copy_file failed on "
              "an ordinary file");
    io_close_error(EINTR);
    for (; run < MAX_RUNS; run++) {
        struct io_stats before = io_stats();

        io_fail_once_after(run);
        int err = copy_file("from", "to");
        io_fail_never();
        struct io_stats after = io_stats();

        cr_assert(eq(sz, after.bad_closes, 0), "close() was called on a "
                  "descriptor that was already closed: when close() fails "
                  "(here with EINTR), Linux has released the descriptor "
                  "anyway, and a second close() may close one that another "
                  "thread has just opened. Never retry close()");
        if (err == 0)
            cr_assert(eq(int, unlink("to"), 0), "test cleanup");
        assert_nothing_left(fds, "after close() failed with EINTR");
        if (after.failed == before.failed)
            break;
    }
    cr_assert(lt(sz, run, (size_t)MAX_RUNS), "too many I/O calls");
    free(bytes);
}
