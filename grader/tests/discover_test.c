/**
 * @file discover_test.c
 * @brief Tests of submission discovery: every shape a class really submits.
 *
 * Each test builds its submission tree in a fresh temporary directory, then
 * checks which file each exercise got and what the learner is told. The
 * course is a small one made by hand: two lessons, two exercises each.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "discover.h"
#include "util.h"

static char tmp[] = "/tmp/discover-test-XXXXXX"; /* the submission under test */
static struct course course;                     /* the hand-made course */
static struct discovery found;                   /* the discovery under test */

static char *lesson01[] = { "addr_text", "stack_growth", NULL };
static char *lesson02[] = { "vector", "strset", NULL };
static struct lesson lessons[] = {
    { .slug = "01-stack-frames", .title = "Stack frames", .exercises = lesson01 },
    { .slug = "02-heap", .title = "Heap", .exercises = lesson02 },
};

static void setup(void)
{
    strcpy(tmp, "/tmp/discover-test-XXXXXX");
    cr_assert(not(eq(ptr, mkdtemp(tmp), NULL)), "cannot create a temporary directory");
    course = (struct course){ .root = "/nonexistent", .lessons = lessons, .n_lessons = 2 };
}

static void teardown(void)
{
    discovery_done(&found);
    dir_remove(tmp);
}

TestSuite(discover, .init = setup, .fini = teardown);

/* Creates the file @p relative below the temporary root, with its folders. */
static void put(const char *relative, const char *text)
{
    char *path = str_printf("%s/%s", tmp, relative);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    cr_assert(eq(int, dir_make(path), 0), "cannot create %s", path);
    *slash = '/';
    cr_assert(eq(int, file_write(path, text), 0), "cannot write %s", path);
    free(path);
}

/* Creates every exercise of the course at PREFIX/<slug>/<exercise>.c, or
 * PREFIX/<exercise>.c when @p flat. */
static void put_all(const char *prefix, bool flat)
{
    for (size_t i = 0; i < course.n_lessons; i++) {
        for (char **ex = lessons[i].exercises; *ex; ex++) {
            char *rel = flat ? str_printf("%s%s.c", prefix, *ex)
                             : str_printf("%s%s/%s.c", prefix, lessons[i].slug, *ex);
            put(rel, *ex);
            free(rel);
        }
    }
}

static void discover(void)
{
    int err = discover_submission(tmp, &course, &found);
    cr_assert(eq(int, err, 0), "discover_submission failed: %d", err);
}

/* The relative path found for @p exercise of @p slug, or NULL. */
static const char *where(const char *slug, const char *exercise)
{
    const struct discovered *f = discovery_find(&found, slug, exercise);
    cr_assert(not(eq(ptr, (void *)f, NULL)), "no entry for %s/%s", slug, exercise);
    return f->relative;
}

static const char *why(const char *slug, const char *exercise)
{
    const struct discovered *f = discovery_find(&found, slug, exercise);
    cr_assert(not(eq(ptr, (void *)f, NULL)), "no entry for %s/%s", slug, exercise);
    cr_assert(not(eq(ptr, f->why, NULL)), "%s/%s has no explanation", slug, exercise);
    return f->why;
}

/* True when some note of @p kind contains @p text. */
static bool noted(enum discovery_note_kind kind, const char *text)
{
    for (size_t i = 0; i < found.n_notes; i++) {
        if (found.notes[i].kind == kind && strstr(found.notes[i].text, text))
            return true;
    }
    return false;
}

/* Prints the notes when a test fails, to see what discovery said. */
static char *all_notes(void)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    for (size_t i = 0; i < found.n_notes; i++)
        fprintf(out, "  %s\n", found.notes[i].text);
    fclose(out);
    return text;
}

static void expect_all_found(const char *prefix)
{
    char *notes = all_notes();
    cr_assert(eq(sz, found.n_found, 4), "found %zu of 4 exercises:\n%s", found.n_found, notes);
    for (size_t i = 0; i < found.n_files; i++) {
        const struct discovered *f = &found.files[i];
        cr_assert(not(eq(ptr, f->path, NULL)), "%s not found:\n%s", f->exercise, notes);
        cr_assert(eq(ptr, f->why, NULL));
        cr_assert(eq(int, strncmp(f->relative, prefix, strlen(prefix)), 0),
                  "%s found at %s, expected below '%s'", f->exercise, f->relative, prefix);
        char *abs = str_printf("%s/%s", found.root, f->relative);
        cr_assert(eq(str, f->path, abs));
        free(abs);
    }
    free(notes);
}

Test(discover, finds_the_exercises_tree)
{
    put_all("", false);
    put("02-heap/vector.h", "header");
    discover();
    expect_all_found("");
    cr_assert(eq(str, (char *)where("02-heap", "vector"), "02-heap/vector.c"));
    cr_assert(noted(DISCOVERY_FOUND, "found 02-heap/vector.c"));
    cr_assert(eq(sz, found.n_notes, 4), "only the four found notes expected:\n%s", all_notes());
}

Test(discover, finds_a_flat_folder)
{
    put_all("", true);
    discover();
    expect_all_found("");
    cr_assert(eq(str, (char *)where("02-heap", "strset"), "strset.c"));
    cr_assert(noted(DISCOVERY_FOUND, "found 02-heap/strset.c at strset.c"),
              "the report says where each file was found");
}

Test(discover, finds_the_tree_inside_wrapping_folders)
{
    put_all("Homework1/my-course/exercises/", false);
    discover();
    expect_all_found("Homework1/my-course/exercises/");
}

Test(discover, finds_a_flat_folder_inside_a_wrapping_folder)
{
    put_all("submission/", true);
    discover();
    expect_all_found("submission/");
}

Test(discover, ignores_the_debris_of_an_extracted_zip)
{
    put_all("hw/", true);
    put("__MACOSX/hw/._vector.c", "resource fork");
    put("hw/._strset.c", "resource fork");
    put("hw/.git/objects/vector.c", "not a submission");
    discover();
    expect_all_found("hw/");
    cr_assert(eq(sz, found.n_notes, 4), "zip debris must not be reported:\n%s", all_notes());
}

Test(discover, suggests_near_names_for_a_missing_file)
{
    put_all("", true);
    char *right = str_printf("%s/vector.c", tmp), *typo = str_printf("%s/vecotr.c", tmp);
    cr_assert(eq(int, rename(right, typo), 0));
    free(right), free(typo);
    discover();
    cr_assert(eq(ptr, (void *)where("02-heap", "vector"), NULL), "a typo'd name is not graded");
    cr_assert(eq(str, (char *)why("02-heap", "vector"),
                 "02-heap/vector.c is missing from the submission: did you mean vecotr.c? "
                 "Rename it vector.c."));
    cr_assert(not(noted(DISCOVERY_IGNORED, "vecotr")), "a suggested file is not also 'ignored'");
}

Test(discover, suggests_other_case_and_decorated_copies)
{
    put("Vector.c", "x");
    put("strset (1).c", "x");
    put("addr_text_final.c", "x");
    discover();
    cr_assert(noted(DISCOVERY_MISSING, "did you mean Vector.c?"), "%s", all_notes());
    cr_assert(noted(DISCOVERY_MISSING, "did you mean strset (1).c?"), "%s", all_notes());
    cr_assert(noted(DISCOVERY_MISSING, "did you mean addr_text_final.c?"), "%s", all_notes());
    cr_assert(eq(str, (char *)why("01-stack-frames", "stack_growth"),
                 "01-stack-frames/stack_growth.c is missing from the submission"));
}

Test(discover, names_extra_files)
{
    put_all("", false);
    put("02-heap/helpers.c", "x");
    put("main.c", "x");
    discover();
    expect_all_found("");
    cr_assert(noted(DISCOVERY_IGNORED, "ignored 02-heap/helpers.c"), "%s", all_notes());
    cr_assert(noted(DISCOVERY_IGNORED, "ignored main.c"), "%s", all_notes());
}

Test(discover, refuses_an_ambiguous_flat_submission)
{
    put_all("", false);
    put("old/vector.c", "old");
    put("new/vector.c", "new");
    char *usual = str_printf("%s/02-heap/vector.c", tmp);
    cr_assert(eq(int, remove(usual), 0));
    free(usual);
    discover();
    cr_assert(eq(ptr, (void *)where("02-heap", "vector"), NULL), "no guessing between equals");
    cr_assert(eq(str, (char *)why("02-heap", "vector"),
                 "02-heap/vector.c is ambiguous: new/vector.c and old/vector.c are equally "
                 "likely; submit only one vector.c, ideally in exercises/02-heap/"));
    cr_assert(noted(DISCOVERY_AMBIGUOUS, "ambiguous"));
}

Test(discover, prefers_the_lesson_folder_and_names_the_second_copy)
{
    put_all("exercises/", false);
    put("backup/vector.c", "old");
    put("vector.c", "top level");
    discover();
    expect_all_found("exercises/");
    cr_assert(noted(DISCOVERY_IGNORED, "ignored backup/vector.c: a second vector.c "
                                       "(graded: exercises/02-heap/vector.c)"),
              "%s", all_notes());
    cr_assert(noted(DISCOVERY_IGNORED, "ignored vector.c: a second vector.c"));
}

Test(discover, prefers_exercises_over_solutions_in_a_whole_course_copy)
{
    put_all("course/exercises/", false);
    put_all("course/solutions/", false);
    discover();
    expect_all_found("course/exercises/");
}

Test(discover, never_takes_a_file_from_another_lessons_folder)
{
    put("01-stack-frames/vector.c", "misplaced");
    discover();
    cr_assert(eq(ptr, (void *)where("02-heap", "vector"), NULL),
              "a file in another lesson's folder belongs to that lesson");
}

Test(discover, refuses_a_symbolic_link_to_a_file)
{
    put_all("", true);
    char *link = str_printf("%s/vector.c", tmp);
    cr_assert(eq(int, remove(link), 0));
    cr_assert(eq(int, symlink("/etc/passwd", link), 0));
    discover();
    cr_assert(eq(ptr, (void *)where("02-heap", "vector"), NULL));
    cr_assert(eq(str, (char *)why("02-heap", "vector"),
                 "02-heap/vector.c: vector.c is a symbolic link, and links are never "
                 "followed: submit the file itself"));
    cr_assert(noted(DISCOVERY_REFUSED, "vector.c is a symbolic link"));
    free(link);
}

Test(discover, never_follows_a_symbolic_link_to_a_folder)
{
    char *outside = str_printf("%s-outside", tmp);
    char *file = str_printf("%s/vector.c", outside);
    cr_assert(eq(int, dir_make(outside), 0));
    cr_assert(eq(int, file_write(file, "outside"), 0));
    char *link = str_printf("%s/exercises", tmp);
    cr_assert(eq(int, symlink(outside, link), 0));
    char *loop = str_printf("%s/loop", tmp);
    cr_assert(eq(int, symlink(".", loop), 0));
    discover();
    dir_remove(outside);
    cr_assert(eq(ptr, (void *)where("02-heap", "vector"), NULL), "a linked folder was followed");
    cr_assert(noted(DISCOVERY_REFUSED, "exercises is a symbolic link"), "%s", all_notes());
    cr_assert(noted(DISCOVERY_REFUSED, "loop is a symbolic link"), "%s", all_notes());
    free(outside), free(file), free(link), free(loop);
}

Test(discover, refuses_a_named_pipe)
{
    char *fifo = str_printf("%s/strset.c", tmp);
    cr_assert(eq(int, mkfifo(fifo, 0644), 0));
    discover();
    cr_assert(eq(str, (char *)why("02-heap", "strset"),
                 "02-heap/strset.c: strset.c is a named pipe (FIFO), not a regular file"));
    free(fifo);
}

Test(discover, names_an_archive_it_did_not_open)
{
    put("homework.zip", "PK");
    discover();
    cr_assert(noted(DISCOVERY_IGNORED, "ignored homework.zip: an archive is not opened"),
              "%s", all_notes());
    cr_assert(eq(sz, found.n_found, 0));
}

Test(discover, stops_at_the_depth_limit)
{
    char *deep = strdup("a/b/c/d/e/f/g/h/i/j/vector.c");
    put(deep, "deep");
    discover();
    cr_assert(eq(ptr, (void *)where("02-heap", "vector"), NULL));
    cr_assert(noted(DISCOVERY_LIMIT, "folders deep: not searched"), "%s", all_notes());
    free(deep);
}

Test(discover, reports_a_missing_root)
{
    char *missing = str_printf("%s/nope", tmp);
    cr_assert(eq(int, discover_submission(missing, &course, &found), -ENOENT));
    cr_assert(eq(ptr, found.files, NULL), "a failed discovery is zeroed");
    free(missing);
}

Test(discover, materializes_the_exercises_shape)
{
    put_all("Homework1/", true);
    discover();
    char *dest = str_printf("%s/shaped", tmp);
    cr_assert(eq(int, discovery_materialize(&found, dest), 0));
    char *copy = str_printf("%s/02-heap/vector.c", dest);
    char *text = file_read_tail(copy, 100);
    cr_assert(eq(str, text, "vector"), "the copy has the learner's text");
    free(dest), free(copy), free(text);
}

Test(discover, materialize_refuses_a_link_swapped_in_after_the_walk)
{
    put_all("hw/", true);
    discover();
    char *file = str_printf("%s/hw/vector.c", tmp);
    cr_assert(eq(int, remove(file), 0));
    cr_assert(eq(int, symlink("/etc/passwd", file), 0));
    char *dest = str_printf("%s/shaped", tmp);
    cr_assert(eq(int, discovery_materialize(&found, dest), -ELOOP));
    char *hw = str_printf("%s/hw", tmp), *moved = str_printf("%s/hw2", tmp);
    free(file);
    /* A linked folder on the way is refused too. */
    file = str_printf("%s/hw2/vector.c", tmp);
    cr_assert(eq(int, rename(hw, moved), 0));
    cr_assert(eq(int, symlink(moved, hw), 0));
    cr_assert(eq(int, remove(file), 0));
    cr_assert(eq(int, file_write(file, "x"), 0));
    cr_assert(eq(int, discovery_materialize(&found, dest), -ELOOP));
    free(file), free(dest), free(hw), free(moved);
}

Test(discover, materialize_refuses_a_huge_file)
{
    put("vector.c", "x");
    discover();
    char *file = str_printf("%s/vector.c", tmp);
    cr_assert(eq(int, truncate(file, DISCOVERY_MAX_FILE_BYTES + 1), 0));
    char *dest = str_printf("%s/shaped", tmp);
    cr_assert(eq(int, discovery_materialize(&found, dest), -EFBIG));
    free(file), free(dest);
}
