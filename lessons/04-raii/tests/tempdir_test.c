/*
 * Tests of tempdir.h.
 *
 * Each test starts in an empty directory of its own, so "nothing left"
 * is easy to check: io_dir_entries(".") must be back to 0, with no
 * descriptor still open and no block still allocated.
 *
 * The fault-injection tests fail one call at a time, the first, then the
 * second, and so on, until a run makes no call that fails.
 */
#define _GNU_SOURCE
#include "course_test.h"
#include "alloc_faults.h"
#include "io_faults.h"
#include "tempdir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Most runs a fault-injection loop makes before giving up. */
#define MAX_RUNS 200

static const struct tempdir_file three[] = {
    { "a.txt", "first file" },
    { "b.txt", "" },
    { "notes", "a third file, longer than the others, to be written in "
               "several short writes" },
};

/* What tempdir_create must leave in *out when it fails. */
static struct tempdir untouched;

/* Asserts that dir/name holds content. */
static void assert_file(const struct tempdir *dir, const struct tempdir_file *f)
{
    char path[256];
    size_t size = 0;

    snprintf(path, sizeof path, "%s/%s", dir->path, f->name);
    char *bytes = io_read_file(path, &size);
    cr_assert(ne(ptr, bytes, NULL), "%s was not created", path);
    cr_assert(eq(str, bytes, (char *)f->content), "%s does not hold its "
              "content (a short write not retried?)", path);
    cr_assert(eq(sz, size, strlen(f->content)), "%s has the wrong size",
              path);
    free(bytes);
}

/* Asserts that nothing of the learner's code is left. */
static void assert_nothing_left(size_t fds, const char *when)
{
    cr_assert(eq(sz, io_dir_entries("."), 0), "%s: the current directory "
              "is not empty again: a file or the directory was left behind",
              when);
    cr_assert(eq(sz, io_open_fds(), fds), "%s: a descriptor was left open",
              when);
    cr_assert(eq(sz, alloc_live_blocks(), 0), "%s: %zu block(s) left",
              when, alloc_live_blocks());
}

/* Creates the three files, asserting success. */
static struct tempdir *create_three(void)
{
    struct tempdir *dir = NULL;

    cr_assert(eq(int, tempdir_create(three, 3, &dir), 0), "tempdir_create "
              "failed with three valid files");
    cr_assert(ne(ptr, dir, NULL), "tempdir_create returned 0 but set no "
              "directory");
    return dir;
}

GRADED_TEST(tempdir, creates_directory_with_files, 2,
            .description = "tempdir_create makes a tempdir-XXXXXX directory "
                           "holding every file and its content")
{
    size_t fds = io_open_fds();
    struct tempdir *dir = create_three();

    cr_assert(eq(sz, strlen(dir->path), strlen(TEMPDIR_TEMPLATE)), "the "
              "path must be the template with its X's replaced");
    cr_assert(eq(int, strncmp(dir->path, "tempdir-", 8), 0), "the path must "
              "start with tempdir-");
    cr_assert(eq(sz, io_dir_entries("."), 1), "one directory expected in "
              "the current directory");
    cr_assert(eq(sz, io_dir_entries(dir->path), 3), "the directory must "
              "hold three files");
    for (size_t i = 0; i < 3; i++)
        assert_file(dir, &three[i]);
    cr_assert(eq(sz, io_open_fds(), fds), "after tempdir_create a "
              "descriptor is still open: close each file once written");
    cr_assert(eq(ptr, tempdir_free(dir), NULL), "tempdir_free returns NULL");
    assert_nothing_left(fds, "after tempdir_free");
}

GRADED_TEST(tempdir, empty_directory_and_null, 1,
            .description = "tempdir_create with no file makes an empty "
                           "directory; tempdir_free removes it and accepts "
                           "NULL")
{
    size_t fds = io_open_fds();
    struct tempdir *dir = NULL;

    cr_assert(eq(int, tempdir_create(NULL, 0, &dir), 0), "tempdir_create "
              "failed with no file");
    cr_assert(eq(sz, io_dir_entries(dir->path), 0), "the directory must be "
              "empty");
    tempdir_free(dir);
    assert_nothing_left(fds, "after tempdir_free");
    cr_assert(eq(ptr, tempdir_free(NULL), NULL), "tempdir_free(NULL) does "
              "nothing and returns NULL");
}

GRADED_TEST(tempdir, free_removes_files_added_later, 2,
            .description = "tempdir_free removes every file in the "
                           "directory, not only those it created")
{
    size_t fds = io_open_fds();
    struct tempdir *dir = create_three();
    char path[256];

    snprintf(path, sizeof path, "%s/added-by-the-test", dir->path);
    cr_assert(eq(int, io_write_file(path, "x", 1), 0), "test setup");
    tempdir_free(dir);
    assert_nothing_left(fds, "after tempdir_free of a directory holding a "
                        "file added later (read the directory: readdir)");
}

/* Makes the directory "victim" holding a.txt, which a tempdir must never
 * reach; returns nothing, asserts on failure. */
static void make_victim(void)
{
    cr_assert(eq(int, mkdir("victim", 0700), 0), "test setup: mkdir");
    cr_assert(eq(int, io_write_file("victim/a.txt", "precious", 8), 0),
              "test setup: victim/a.txt");
}

/* Asserts that victim/a.txt is still there, then removes the victim. */
static void assert_victim_intact(const char *how)
{
    size_t size = 0;
    char *bytes = io_read_file("victim/a.txt", &size);

    cr_assert(ne(ptr, bytes, NULL), "victim/a.txt, outside the temporary "
              "directory, was deleted: %s", how);
    free(bytes);
    unlink("victim/a.txt");
    rmdir("victim");
}

GRADED_TEST(tempdir, free_removes_hidden_files_links_and_subdirectories, 2,
            .description = "tempdir_free removes hidden files, symbolic "
                           "links and subdirectories with their contents, "
                           "and never follows a link")
{
    size_t fds = io_open_fds();
    struct tempdir *dir = create_three();
    char path[256];

    make_victim();
    static const char *const added_files[] = {
        ".hidden", "sub/.also-hidden", "sub/deeper/file", ".dotdir/x",
    };
    snprintf(path, sizeof path, "%s/sub", dir->path);
    cr_assert(eq(int, mkdir(path, 0700), 0), "test setup: mkdir %s", path);
    snprintf(path, sizeof path, "%s/sub/deeper", dir->path);
    cr_assert(eq(int, mkdir(path, 0700), 0), "test setup: mkdir %s", path);
    snprintf(path, sizeof path, "%s/.dotdir", dir->path);
    cr_assert(eq(int, mkdir(path, 0700), 0), "test setup: mkdir %s", path);
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir->path, added_files[i]);
        cr_assert(eq(int, io_write_file(path, "x", 1), 0), "test setup: %s",
                  path);
    }
    snprintf(path, sizeof path, "%s/link-to-victim", dir->path);
    cr_assert(eq(int, symlink("../victim", path), 0), "test setup: symlink");
    tempdir_free(dir);
    assert_victim_intact("tempdir_free followed the symbolic link "
                         "link-to-victim instead of removing the link");
    assert_nothing_left(fds, "after tempdir_free of a directory holding "
                        "hidden files, a link and subdirectories (read "
                        "each directory with readdir, and remove a "
                        "subdirectory's contents before the subdirectory)");
}

/* The hook of free_never_follows_a_swapped_link: what an attacker with
 * write access to the current directory can do while tempdir_free runs. */
static void swap_directory_for_link(void *path)
{
    cr_assert(eq(int, rename(path, "moved"), 0), "test setup: rename");
    cr_assert(eq(int, symlink("victim", path), 0), "test setup: symlink");
}

GRADED_TEST(tempdir, free_never_follows_a_swapped_link, 2,
            .description = "when the directory is replaced by a symbolic "
                           "link while tempdir_free reads it, nothing "
                           "outside the directory is removed")
{
    size_t fds = io_open_fds();
    struct tempdir *dir = create_three();
    char path[sizeof TEMPDIR_TEMPLATE];

    make_victim();
    snprintf(path, sizeof path, "%s", dir->path);
    io_before_call("readdir", swap_directory_for_link, path);
    tempdir_free(dir);
    cr_assert(eq(int, access("moved/a.txt", F_OK), -1), "the directory "
              "tempdir_free had opened still holds a.txt: remove each "
              "entry relative to the open directory (unlinkat on its "
              "descriptor), not through its path");
    assert_victim_intact("the directory was replaced by a link to victim "
                         "while tempdir_free read it, and a path like "
                         "\"tempdir-XXXXXX/a.txt\" went through the link. "
                         "Open the directory once (O_DIRECTORY | "
                         "O_NOFOLLOW) and remove relative to it (fdopendir, "
                         "unlinkat)");
    unlink(path);
    rmdir("moved");
    assert_nothing_left(fds, "after tempdir_free");
}

GRADED_TEST(tempdir, failed_close_is_never_retried, 1,
            .description = "when close() fails with EINTR, tempdir_create "
                           "reports it and does not call close() again on "
                           "the same descriptor",
            .timeout = 5)
{
    size_t fds = io_open_fds();
    size_t run = 0;

    tempdir_free(create_three());
    io_close_error(EINTR);
    for (; run < MAX_RUNS; run++) {
        struct tempdir *dir = &untouched;
        struct io_stats before = io_stats();

        io_fail_once_after(run);
        int err = tempdir_create(three, 3, &dir);
        io_fail_never();
        struct io_stats after = io_stats();
        cr_assert(eq(sz, after.bad_closes, 0), "close() was called on a "
                  "descriptor that was already closed: after close() "
                  "fails (here with EINTR), Linux has released the "
                  "descriptor, and a second close() may close one that "
                  "another thread has just opened. Never retry close()");
        if (after.failed == before.failed) {
            cr_assert(eq(int, err, 0), "no call failed, yet "
                      "tempdir_create failed");
            tempdir_free(dir);
            break;
        }
        if (err == 0)
            tempdir_free(dir);
        assert_nothing_left(fds, "after a call failed");
    }
    cr_assert(lt(sz, run, (size_t)MAX_RUNS), "too many I/O calls");
}

GRADED_TEST(tempdir, two_directories_at_once, 1,
            .description = "two tempdir_create calls make two distinct "
                           "directories")
{
    size_t fds = io_open_fds();
    struct tempdir *first = create_three();
    struct tempdir *second = create_three();

    cr_assert(ne(str, first->path, second->path), "two directories with "
              "the same path");
    cr_assert(eq(sz, io_dir_entries("."), 2), "two directories expected");
    tempdir_free(first);
    tempdir_free(second);
    assert_nothing_left(fds, "after freeing both");
}

GRADED_TEST(tempdir, invalid_names_create_nothing, 2,
            .description = "an empty name, a name with '/', \".\" or \"..\" "
                           "is -EINVAL and creates nothing")
{
    static const char *const bad[] = { "", "sub/file", ".", ".." };
    size_t fds = io_open_fds();

    tempdir_free(create_three());
    for (size_t i = 0; i < 4; i++) {
        struct tempdir_file files[] = { { "ok", "fine" }, { bad[i], "x" } };
        struct tempdir *dir = &untouched;

        cr_assert(eq(int, tempdir_create(files, 2, &dir), -EINVAL), "the "
                  "name \"%s\" must be refused with -EINVAL", bad[i]);
        cr_assert(eq(ptr, dir, &untouched), "*out changed on failure");
        assert_nothing_left(fds, "after an invalid name");
    }
}

GRADED_TEST(tempdir, duplicate_name_removes_everything, 2,
            .description = "a name given twice is -EEXIST, and the files "
                           "and directory already made are removed")
{
    static const struct tempdir_file twice[] = {
        { "a", "1" }, { "b", "2" }, { "a", "3" },
    };
    size_t fds = io_open_fds();
    struct tempdir *dir = &untouched;

    tempdir_free(create_three());
    cr_assert(eq(int, tempdir_create(twice, 3, &dir), -EEXIST), "the name "
              "\"a\" is given twice: -EEXIST (from open with O_EXCL)");
    cr_assert(eq(ptr, dir, &untouched), "*out changed on failure");
    assert_nothing_left(fds, "after -EEXIST");
}

GRADED_TEST(tempdir, short_writes_are_retried, 1,
            .description = "tempdir_create writes every byte when write() "
                           "writes only a few at a time")
{
    size_t fds = io_open_fds();

    io_short_transfers(0, 7);
    struct tempdir *dir = create_three();
    for (size_t i = 0; i < 3; i++)
        assert_file(dir, &three[i]);
    tempdir_free(dir);
    assert_nothing_left(fds, "after tempdir_free");
}

GRADED_TEST(tempdir, every_failing_call_is_clean, 3,
            .description = "whichever mkdtemp, open, write or close fails, "
                           "tempdir_create reports it and leaves nothing "
                           "behind",
            .timeout = 5)
{
    size_t fds = io_open_fds();
    size_t run = 0;

    tempdir_free(create_three());
    for (; run < MAX_RUNS; run++) {
        struct tempdir *dir = &untouched;
        struct io_stats before = io_stats();

        io_fail_once_after(run);
        int err = tempdir_create(three, 3, &dir);
        io_fail_never();
        struct io_stats after = io_stats();
        if (after.failed == before.failed) {
            cr_assert(eq(int, err, 0), "no call failed, yet "
                      "tempdir_create failed");
            tempdir_free(dir);
            assert_nothing_left(fds, "after tempdir_free");
            break;
        }
        if (err == 0) {
            cr_assert(ne(sz, after.failed_harmless, before.failed_harmless),
                      "I/O call %zu failed and tempdir_create returned 0: a "
                      "failed mkdtemp, open, write or close of a written "
                      "file must be reported", run + 1);
            tempdir_free(dir);
        } else {
            cr_assert(lt(int, err, 0), "errors are negative errno values");
            cr_assert(eq(ptr, dir, &untouched), "*out changed on failure");
        }
        assert_nothing_left(fds, "after an I/O call failed");
    }
    cr_assert(lt(sz, run, (size_t)MAX_RUNS), "too many I/O calls");
}

GRADED_TEST(tempdir, every_allocation_failure_is_clean, 2,
            .description = "whichever allocation fails, tempdir_create "
                           "returns -ENOMEM and leaves nothing behind")
{
    size_t fds = io_open_fds();
    size_t run = 0;

    tempdir_free(create_three());
    for (; run < MAX_RUNS; run++) {
        struct tempdir *dir = &untouched;
        size_t failed = alloc_stats().failed;

        alloc_fail_after(run);
        int err = tempdir_create(three, 3, &dir);
        alloc_fail_never();
        if (alloc_stats().failed == failed) {
            cr_assert(eq(int, err, 0), "no allocation failed, yet "
                      "tempdir_create failed");
            tempdir_free(dir);
            assert_nothing_left(fds, "after tempdir_free");
            break;
        }
        cr_assert(eq(int, err, -ENOMEM), "allocation %zu failed: -ENOMEM "
                  "expected, got %d", run + 1, err);
        cr_assert(eq(ptr, dir, &untouched), "*out changed on failure");
        assert_nothing_left(fds, "after an allocation failed");
    }
    cr_assert(lt(sz, run, (size_t)MAX_RUNS), "too many allocations");
}
