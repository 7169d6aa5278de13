/*
 * Tests of bundle.h, the program to repair.
 *
 * Every test first runs bundle_dir() once on an ordinary directory and
 * checks that it leaves no descriptor open, then checks its own case. What
 * a leak leaves is checked after every call: a descriptor (io_open_fds()),
 * a block (alloc_live_blocks()), or an output file that should not exist.
 */
#define _GNU_SOURCE
#include "course_test.h"
#include "alloc_faults.h"
#include "io_faults.h"
#include "bundle.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Most runs a fault-injection loop makes before giving up. */
#define MAX_RUNS 200

/* The files of the test directory "in", and what bundling them gives. */
static const char *const files[][2] = {
    { "b.txt", "second " }, { "c.txt", "third" }, { "a.txt", "first " },
    { ".hidden", "skipped" }, { "empty", "" },
};
static const char bundled[] = "first second third";

/* Makes the directory "in" with the files above. */
static void make_input(void)
{
    cr_assert(eq(int, mkdir("in", 0755), 0), "test setup: mkdir");
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[64];
        snprintf(path, sizeof path, "in/%s", files[i][0]);
        cr_assert(eq(int, io_write_file(path, files[i][1], strlen(files[i][1])),
                     0), "test setup: cannot write %s", path);
    }
}

/* Asserts that path holds exactly text. */
static void assert_file_is(const char *path, const char *text)
{
    size_t size = 0;
    char *bytes = io_read_file(path, &size);

    cr_assert(ne(ptr, bytes, NULL), "%s was not created", path);
    cr_assert(eq(str, bytes, (char *)text), "%s holds the wrong bytes",
              path);
    free(bytes);
}

/* Asserts that nothing of the learner's code is left. */
static void assert_nothing_left(size_t fds, const char *when)
{
    cr_assert(eq(sz, io_open_fds(), fds), "%s: %zu descriptor(s) left open "
              "(a DIR * holds one too): which return skips a close?", when,
              io_open_fds() - fds);
    cr_assert(eq(sz, alloc_live_blocks(), 0), "%s: %zu block(s) left: "
              "something bundle_dir allocates is not freed on this path", when,
              alloc_live_blocks());
}

/* Runs bundle_dir once on "in" into "first.out" and checks it. */
static size_t bundle_once(void)
{
    size_t fds = io_open_fds();

    make_input();
    cr_assert(eq(int, bundle_dir("in", "first.out"), 0), "bundle_dir "
              "failed on an ordinary directory");
    assert_file_is("first.out", bundled);
    assert_nothing_left(fds, "after a successful bundle_dir");
    return fds;
}

GRADED_TEST(bundle, joins_files_in_name_order, 2,
            .description = "bundle_dir writes the files in name order, "
                           "skips dot files, and closes everything")
{
    bundle_once();
}

GRADED_TEST(bundle, empty_directory_gives_empty_file, 1,
            .description = "bundle_dir of an empty directory creates an "
                           "empty file")
{
    size_t fds = bundle_once();

    cr_assert(eq(int, mkdir("none", 0755), 0), "test setup");
    cr_assert(eq(int, bundle_dir("none", "out"), 0), "bundle_dir failed on "
              "an empty directory");
    assert_file_is("out", "");
    assert_nothing_left(fds, "after bundling an empty directory");
}

GRADED_TEST(bundle, missing_directory_is_enoent, 1,
            .description = "bundle_dir of a missing directory returns "
                           "-ENOENT and creates nothing")
{
    size_t fds = bundle_once();

    cr_assert(eq(int, bundle_dir("missing", "out"), -ENOENT), "a missing "
              "directory: -ENOENT");
    cr_assert(ne(int, access("out", F_OK), 0), "out was created");
    assert_nothing_left(fds, "after a missing directory");
}

GRADED_TEST(bundle, existing_output_is_left_alone, 2,
            .description = "bundle_dir to an existing file returns -EEXIST, "
                           "leaves that file alone and closes the directory")
{
    size_t fds = bundle_once();

    cr_assert(eq(int, io_write_file("out", "mine", 4), 0), "test setup");
    cr_assert(eq(int, bundle_dir("in", "out"), -EEXIST), "out exists: "
              "-EEXIST");
    assert_file_is("out", "mine");
    assert_nothing_left(fds, "after -EEXIST");
}

GRADED_TEST(bundle, short_transfers, 1,
            .description = "bundle_dir copies every byte when read and "
                           "write move a few bytes at a time")
{
    size_t fds = bundle_once();

    io_short_transfers(5, 3);
    cr_assert(eq(int, bundle_dir("in", "out"), 0), "bundle_dir failed "
              "with short reads and writes");
    assert_file_is("out", bundled);
    assert_nothing_left(fds, "after short transfers");
}

GRADED_TEST(bundle, every_failing_call_is_clean, 3,
            .description = "whichever open, read, write or close fails, "
                           "bundle_dir reports it, removes the output and "
                           "leaks nothing",
            .timeout = 5)
{
    size_t fds = bundle_once();
    size_t run = 0;

    for (; run < MAX_RUNS; run++) {
        struct io_stats before = io_stats();

        io_fail_once_after(run);
        int err = bundle_dir("in", "out");
        io_fail_never();
        struct io_stats after = io_stats();
        if (after.failed == before.failed) {
            cr_assert(eq(int, err, 0), "no call failed, yet bundle_dir "
                      "failed");
            break;
        }
        if (err == 0) {
            cr_assert(ne(sz, after.failed_harmless, before.failed_harmless),
                      "I/O call %zu failed and bundle_dir returned 0",
                      run + 1);
            assert_file_is("out", bundled);
            unlink("out");
        } else {
            cr_assert(lt(int, err, 0), "errors are negative errno values");
            cr_assert(ne(int, access("out", F_OK), 0), "I/O call %zu "
                      "failed and the partial output is still on disk",
                      run + 1);
        }
        assert_nothing_left(fds, "after an I/O call failed");
    }
    cr_assert(lt(sz, run, (size_t)MAX_RUNS), "too many I/O calls");
}

GRADED_TEST(bundle, every_allocation_failure_is_clean, 2,
            .description = "whichever allocation fails, bundle_dir returns "
                           "-ENOMEM, removes the output and leaks nothing")
{
    size_t fds = bundle_once();
    size_t run = 0;

    /* Twelve files: enough to make an array of names grow more than once. */
    cr_assert(eq(int, mkdir("many", 0755), 0), "test setup");
    for (char c = 'a'; c < 'a' + 12; c++) {
        char path[16] = "many/x";
        path[5] = c;
        cr_assert(eq(int, io_write_file(path, path + 5, 1), 0), "setup");
    }
    for (; run < MAX_RUNS; run++) {
        size_t failed = alloc_stats().failed;

        alloc_fail_after(run);
        int err = bundle_dir("many", "out");
        alloc_fail_never();
        if (alloc_stats().failed == failed) {
            cr_assert(eq(int, err, 0), "no allocation failed, yet "
                      "bundle_dir failed");
            assert_file_is("out", "abcdefghijkl");
            break;
        }
        cr_assert(eq(int, err, -ENOMEM), "allocation %zu failed: -ENOMEM "
                  "expected, got %d", run + 1, err);
        cr_assert(ne(int, access("out", F_OK), 0), "allocation %zu failed "
                  "and the output is still on disk", run + 1);
        assert_nothing_left(fds, "after an allocation failed");
    }
    cr_assert(lt(sz, run, (size_t)MAX_RUNS), "too many allocations");
}
