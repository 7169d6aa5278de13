/*
 * Tests of cleanup.h.
 *
 * The cleanup functions are tested the way they are used: on variables
 * declared with __attribute__((cleanup)) in the tests themselves, so the
 * compiler calls them when each variable's block ends.
 */
#define _GNU_SOURCE
#include "course_test.h"
#include "alloc_faults.h"
#include "io_faults.h"
#include "cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

/* Most runs a fault-injection loop makes before giving up. */
#define MAX_RUNS 100

/* The learner's counted allocator (alloc_faults.c), so that blocks the
 * learner's code frees are counted on both sides. */
void *course_calloc(size_t count, size_t size);

/* Whether fd is an open descriptor. */
static bool fd_is_open(int fd)
{
    return fcntl(fd, F_GETFD) != -1;
}

/* A vector of count counted strings "0", "1", ..., NULL-terminated. */
static char **make_strv(size_t count)
{
    char **strv = course_calloc(count + 1, sizeof *strv);

    cr_assert(ne(ptr, strv, NULL), "test setup");
    for (size_t i = 0; i < count; i++) {
        char text[2] = { (char)('0' + i), '\0' };
        strv[i] = course_strdup(text);
        cr_assert(ne(ptr, strv[i], NULL), "test setup");
    }
    return strv;
}

GRADED_TEST(cleanup, freep_frees_at_end_of_scope, 2,
            .description = "freep frees the block of a _cleanup_(freep) "
                           "variable when its block ends, and accepts NULL")
{
    {
        _cleanup_(freep) char *text = course_strdup("scoped");
        _cleanup_(freep) char *empty = NULL;

        cr_assert(ne(ptr, text, NULL), "test setup");
        cr_assert(eq(sz, alloc_live_blocks(), 1), "test setup");
    }
    cr_assert(eq(sz, alloc_live_blocks(), 0), "the block of a "
              "_cleanup_(freep) variable is still allocated after its "
              "scope ended: freep receives the variable's address, so it "
              "must free *(void **)p");
}

GRADED_TEST(cleanup, closep_closes_and_keeps_errno, 2,
            .description = "closep closes the descriptor, keeps errno even "
                           "when close fails, and does nothing for -1")
{
    int seen = -1;

    cr_assert(eq(int, io_write_file("f", "x", 1), 0), "test setup");
    {
        _cleanup_(closep) int fd = open("f", O_RDONLY | O_CLOEXEC);
        _cleanup_(closep) int none = -1;

        cr_assert(ge(int, fd, 0), "test setup");
        seen = fd;
        io_fail_once_after(0); /* this close will fail, and set errno */
        errno = EXDEV;    /* the error an error path would be reporting */
    }
    int after = errno;
    io_fail_never();
    cr_assert(not(fd_is_open(seen)), "the descriptor of a "
              "_cleanup_(closep) variable is still open after its scope "
              "ended");
    cr_assert(eq(int, after, EXDEV), "errno changed from EXDEV to %d (%s) "
              "while the cleanups ran: closep must save errno and restore "
              "it, and not call close(-1)", after, strerror(after));
}

GRADED_TEST(cleanup, fclosep_closes_and_accepts_null, 1,
            .description = "fclosep closes the stream and accepts NULL")
{
    size_t fds = io_open_fds();

    cr_assert(eq(int, io_write_file("f", "x", 1), 0), "test setup");
    {
        _cleanup_(fclosep) FILE *file = fopen("f", "re");
        _cleanup_(fclosep) FILE *none = NULL;

        cr_assert(ne(ptr, file, NULL), "test setup");
    }
    cr_assert(eq(sz, io_open_fds(), fds), "the stream of a "
              "_cleanup_(fclosep) variable is still open after its scope "
              "ended");
}

GRADED_TEST(cleanup, lines_free_frees_strings_and_array, 2,
            .description = "lines_free frees every string and the array, "
                           "accepts NULL and returns NULL")
{
    char **strv = make_strv(3);

    cr_assert(eq(ptr, lines_free(strv), NULL), "lines_free returns NULL");
    cr_assert(eq(sz, alloc_live_blocks(), 0), "%zu block(s) left: free each "
              "string, then the array", alloc_live_blocks());
    cr_assert(eq(ptr, lines_free(NULL), NULL), "lines_free(NULL) returns "
              "NULL");
}

GRADED_TEST(cleanup, lines_freep_frees_at_end_of_scope, 1,
            .description = "lines_freep frees a vector variable when its "
                           "block ends, and accepts NULL")
{
    {
        _cleanup_(lines_freep) char **strv = make_strv(2);
        _cleanup_(lines_freep) char **empty = NULL;
    }
    cr_assert(eq(sz, alloc_live_blocks(), 0), "the vector of a "
              "_cleanup_(lines_freep) variable is still allocated after its "
              "scope ended");
}

GRADED_TEST(cleanup, open_regular_gives_an_open_descriptor, 1,
            .description = "open_regular returns an open descriptor on a "
                           "regular file (the cleanup must not close it)")
{
    char byte = 0;

    cr_assert(eq(int, io_write_file("f", "R", 1), 0), "test setup");
    int fd = open_regular("f");
    cr_assert(ge(int, fd, 0), "open_regular failed on a regular file: %d",
              fd);
    cr_assert(eq(long, (long)read(fd, &byte, 1), 1L), "the descriptor "
              "returned is not readable: was it closed by closep on the "
              "way out? Hand it out with TAKE_FD");
    cr_assert(eq(chr, byte, 'R'), "read the wrong byte");
    close(fd);
}

GRADED_TEST(cleanup, open_regular_refuses_directory_without_leak, 2,
            .description = "open_regular returns -EISDIR for a directory "
                           "and -ENOENT for a missing file, leaving no "
                           "descriptor open")
{
    size_t fds = io_open_fds();

    cr_assert(eq(int, io_write_file("f", "R", 1), 0), "test setup");
    int fd = open_regular("f");
    cr_assert(ge(int, fd, 0), "open_regular failed on a regular file");
    close(fd);
    cr_assert(eq(int, mkdir("d", 0755), 0), "test setup");
    cr_assert(eq(int, open_regular("d"), -EISDIR), "a directory: "
              "open_regular must return -EISDIR");
    cr_assert(eq(sz, io_open_fds(), fds), "after -EISDIR a descriptor was "
              "left open: open() of a directory succeeds, so the error "
              "path must close it");
    cr_assert(eq(int, open_regular("missing"), -ENOENT), "a missing file: "
              "-ENOENT");
    cr_assert(eq(sz, io_open_fds(), fds), "a descriptor was left open");
}

GRADED_TEST(cleanup, read_lines_splits_lines, 2,
            .description = "read_lines returns each line without its "
                           "newline, the last one too, NULL-terminated")
{
    static const char *const want[] = { "first", "", "third line", "last" };
    size_t fds = io_open_fds();
    char **lines = NULL;
    size_t count = 0;

    cr_assert(eq(int, io_write_file("f", "first\n\nthird line\nlast", 22),
                 0), "test setup");
    cr_assert(eq(int, read_lines("f", &lines, &count), 0), "read_lines "
              "failed on a 4-line file");
    cr_assert(eq(sz, count, 4), "4 lines expected, got %zu", count);
    for (size_t i = 0; i < 4; i++)
        cr_assert(eq(str, lines[i], (char *)want[i]), "line %zu is wrong",
                  i);
    cr_assert(eq(ptr, lines[4], NULL), "the vector must end with NULL");
    lines_free(lines);
    cr_assert(eq(sz, alloc_live_blocks(), 0), "blocks left after lines_free");
    cr_assert(eq(sz, io_open_fds(), fds), "the file was left open");
}

GRADED_TEST(cleanup, read_lines_of_empty_file, 1,
            .description = "read_lines of an empty file returns a vector "
                           "holding only NULL")
{
    char **lines = NULL;
    size_t count = 99;

    cr_assert(eq(int, io_write_file("f", "", 0), 0), "test setup");
    cr_assert(eq(int, read_lines("f", &lines, &count), 0), "read_lines "
              "failed on an empty file");
    cr_assert(eq(sz, count, 0), "an empty file has no lines");
    cr_assert(ne(ptr, lines, NULL), "the vector itself must exist");
    cr_assert(eq(ptr, lines[0], NULL), "the vector must be empty");
    lines_free(lines);
    cr_assert(eq(sz, alloc_live_blocks(), 0), "blocks left after lines_free");
}

GRADED_TEST(cleanup, read_lines_missing_file_is_enoent, 1,
            .description = "read_lines of a missing file returns -ENOENT "
                           "and leaves its outputs alone")
{
    char **lines = NULL;
    size_t count = 0;

    cr_assert(eq(int, io_write_file("f", "x\n", 2), 0), "test setup");
    cr_assert(eq(int, read_lines("f", &lines, &count), 0), "read_lines "
              "failed on a 1-line file");
    lines_free(lines);
    lines = (char **)&count;
    count = 7;
    cr_assert(eq(int, read_lines("missing", &lines, &count), -ENOENT),
              "a missing file: -ENOENT");
    cr_assert(eq(ptr, lines, (char **)&count), "*out changed on failure");
    cr_assert(eq(sz, count, 7), "*count changed on failure");
}

GRADED_TEST(cleanup, read_lines_every_allocation_failure_is_clean, 3,
            .description = "whichever allocation fails, read_lines returns "
                           "-ENOMEM, closes the file and frees everything")
{
    size_t fds = io_open_fds();
    char **lines = NULL;
    size_t count = 0, run = 0;

    cr_assert(eq(int, io_write_file("f", "a\nbb\nccc\ndddd\n", 14), 0),
              "test setup");
    for (; run < MAX_RUNS; run++) {
        size_t failed = alloc_stats().failed;

        lines = (char **)&count;
        alloc_fail_after(run);
        int err = read_lines("f", &lines, &count);
        alloc_fail_never();
        if (alloc_stats().failed == failed) {
            cr_assert(eq(int, err, 0), "read_lines failed with no "
                      "allocation failing");
            cr_assert(eq(sz, count, 4), "4 lines expected");
            lines_free(lines);
            cr_assert(eq(sz, alloc_live_blocks(), 0), "blocks left");
            break;
        }
        cr_assert(eq(int, err, -ENOMEM), "allocation %zu failed: expected "
                  "-ENOMEM, got %d", run + 1, err);
        cr_assert(eq(ptr, lines, (char **)&count), "*out changed on "
                  "failure");
        cr_assert(eq(sz, alloc_live_blocks(), 0), "allocation %zu failed "
                  "and %zu block(s) were left: is every local that owns a "
                  "block declared _cleanup_?", run + 1, alloc_live_blocks());
        cr_assert(eq(sz, io_open_fds(), fds), "allocation %zu failed and "
                  "the file was left open", run + 1);
    }
    cr_assert(lt(sz, run, (size_t)MAX_RUNS), "too many allocations");
}
