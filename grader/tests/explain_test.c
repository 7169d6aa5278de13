/**
 * @file explain_test.c
 * @brief Tests of the plain-words explanations of memcheck errors.
 *
 * Most tests explain a real report from vgxml/ (written by Valgrind 3.19 for
 * the programs in vgxml/src/) and compare the whole text: these words are
 * what learners read, so any change to them should be a deliberate one.
 * The rest build an error by hand for cases no small program shows well.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "course.h"
#include "explain.h"
#include "vgreport.h"

#ifndef VGXML_DIR
#define VGXML_DIR "vgxml" /* the Makefile runs unit tests from grader/tests */
#endif

#define VGPRELOAD "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so"

static struct vg_report report; /* the fixture under test */
static char *text;              /* the explanation under test */
static struct course course;    /* the real course: its lessons are cited */

static void explain_setup(void)
{
    char *error = NULL;
    cr_assert(eq(int, course_load("../..", &course, &error), 0),
              "the course tree is not at ../..: %s", error ? error : "");
}

static void explain_release(void)
{
    vg_report_done(&report);
    course_done(&course);
    free(text);
    text = NULL;
}

TestSuite(explain, .init = explain_setup, .fini = explain_release);

/* Explains @p error with @p learner and @p tests as the files. */
static char *explain_with(const struct vg_error *error, const char *const *learner,
                          const char *const *tests)
{
    struct explain_context ctx = { learner, tests, NULL, &course };
    return explain_error(error, &ctx);
}

/* Explains the crash of @p crashed with @p learner as the learner's files. */
static char *crash_with(const struct vg_report *crashed, const char *const *learner)
{
    static const char *const none[] = { NULL };
    struct explain_context ctx = { learner, none, NULL, &course };
    return explain_fatal_signal(crashed, &ctx, true);
}

static const char *const no_files[] = { NULL };
static const char *const test_files[] = { "strbuild_test.c", NULL };

/* Loads fixture @p name into @p report, failing the test if it cannot. */
static void fixture_load(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", VGXML_DIR, name);
    int err = vg_report_load(path, &report);
    cr_assert(eq(int, err, 0), "could not load %s (error %d): run the tests "
              "from grader/tests or define VGXML_DIR", path, err);
}

/* Explains error @p index of the loaded report, @p learner_file being the
 * learner's only source file. */
static const char *fixture_explain(size_t index, const char *learner_file)
{
    cr_assert(lt(sz, index, report.n_errors), "the report has too few errors");
    const char *learner[] = { learner_file, NULL };
    free(text);
    text = explain_with(&report.errors[index], learner, test_files);
    cr_assert(not(zero(ptr, text)), "explain_error returned NULL");
    return text;
}

/* Explains a hand-made error, with vector.c as the learner's file. */
static const char *error_explain(const struct vg_error *error)
{
    static const char *const learner[] = { "vector.c", NULL };
    free(text);
    struct vg_error copy = *error;
    vg_error_words_read(&copy); /* what vg_report_load() does */
    text = explain_with(&copy, learner, no_files);
    cr_assert(not(zero(ptr, text)), "explain_error returned NULL");
    return text;
}

/* ---- Invalid reads and writes ------------------------------------------- */

Test(explain, write_just_past_the_end_of_a_block)
{
    fixture_load("invalid_write.xml");
    cr_assert(eq(str, (char *)fixture_explain(0, "invalid_write.c"),
        "Wrote 1 byte just past the end of a 4-byte block.\n"
        "It happened at invalid_write.c:11 in name_copy().\n"
        "The block was allocated at invalid_write.c:8 in name_copy().\n"
        "Read: lessons/02-heap/README.md, section \"Writing past the end of a block\".\n"));
}

Test(explain, read_of_a_freed_block)
{
    fixture_load("use_after_free.xml");
    cr_assert(eq(str, (char *)fixture_explain(0, "use_after_free.c"),
        "Read 8 bytes at offset 8 of a 40-byte block that was already freed (use after free).\n"
        "It happened at use_after_free.c:26 in main().\n"
        "The block was allocated at use_after_free.c:13 in record_new() "
        "and freed at use_after_free.c:19 in record_free().\n"
        "Read: lessons/02-heap/README.md, section \"Use after free\".\n"));
}

Test(explain, read_inside_a_library_function_names_its_caller)
{
    fixture_load("strlen_unterminated.xml");
    cr_assert(eq(str, (char *)fixture_explain(0, "strlen_unterminated.c"),
        "Read 1 byte just past the end of a 5-byte block.\n"
        "It happened inside strlen(), called from strlen_unterminated.c:16 in main().\n"
        "The block was allocated at strlen_unterminated.c:8 in word_dup().\n"
        "Read: lessons/02-heap/README.md, section \"Writing past the end of a block\".\n"));
}

Test(explain, read_of_a_dead_stack_frame_points_at_lesson_01)
{
    fixture_load("stack_dangling.xml");
    cr_assert(eq(str, (char *)fixture_explain(0, "stack_dangling.c"),
        "Read 4 bytes from the stack memory of a function that has already "
        "returned (a dangling pointer to one of its local variables).\n"
        "It happened at stack_dangling.c:17 in main().\n"
        "Read: lessons/01-stack-frames/README.md, section \"Dangling pointers to locals\".\n"));
}

Test(explain, criterion_worker_write_skips_harness_frames)
{
    /* The block comes from course_malloc (alloc_faults.c), the harness's
     * wrapper: the learner must see their own line instead. */
    fixture_load("criterion_worker.xml");
    cr_assert(eq(str, (char *)fixture_explain(0, "strbuild.c"),
        "Wrote 1 byte just past the end of a 4-byte block.\n"
        "It happened inside memmove(), called from strbuild.c:17 in str_concat().\n"
        "The block was allocated at strbuild.c:14 in str_concat().\n"
        "Read: lessons/02-heap/README.md, section \"Writing past the end of a block\".\n"));
}

Test(explain, criterion_worker_read_in_the_test_names_the_test_line)
{
    fixture_load("criterion_worker.xml");
    cr_assert(eq(str, (char *)fixture_explain(1, "strbuild.c"),
        "Read 1 byte just past the end of a 4-byte block.\n"
        "It happened inside strcmp(), called from strbuild_test.c:11 in "
        "strbuild_concat_joins_two_words_impl().\n"
        "The block was allocated at strbuild.c:14 in str_concat().\n"
        "Read: lessons/02-heap/README.md, section \"Writing past the end of a block\".\n"));
}

Test(explain, write_before_the_start_of_a_block)
{
    struct vg_frame frames[] = { { .fn = "vector_push", .file = "vector.c", .line = 42 } };
    struct vg_error error = {
        .kind = "InvalidWrite", .what = "Invalid write of size 4",
        .auxwhat = "Address 0x4a4203c is 4 bytes before a block of size 16 alloc'd",
        .stack = { frames, 1 },
    };
    cr_assert(eq(str, (char *)error_explain(&error),
        "Wrote 4 bytes 4 bytes before the start of a 16-byte block.\n"
        "It happened at vector.c:42 in vector_push().\n"
        "Read: lessons/02-heap/README.md, section \"Writing past the end of a block\".\n"));
}

Test(explain, read_further_past_the_end_with_a_large_block)
{
    /* Valgrind prints sizes with thousands separators. */
    struct vg_frame frames[] = { { .fn = "vector_get", .file = "vector.c", .line = 7 } };
    struct vg_error error = {
        .kind = "InvalidRead", .what = "Invalid read of size 2",
        .auxwhat = "Address 0x4a4243c is 1 bytes after a block of size 1,024 alloc'd",
        .stack = { frames, 1 },
    };
    cr_assert(eq(str, (char *)error_explain(&error),
        "Read 2 bytes 1 byte past the end of a 1024-byte block.\n"
        "It happened at vector.c:7 in vector_get().\n"
        "Read: lessons/02-heap/README.md, section \"Writing past the end of a block\".\n"));
}

Test(explain, read_that_starts_inside_and_ends_outside_a_block)
{
    struct vg_frame frames[] = { { .fn = "vector_get", .file = "vector.c", .line = 7 } };
    struct vg_error error = {
        .kind = "InvalidRead", .what = "Invalid read of size 8",
        .auxwhat = "Address 0x4a42044 is 4 bytes inside a block of size 10 alloc'd",
        .stack = { frames, 1 },
    };
    cr_assert(eq(str, (char *)error_explain(&error),
        "Read 8 bytes at offset 4 of a 10-byte block, running past its end.\n"
        "It happened at vector.c:7 in vector_get().\n"
        "Read: lessons/02-heap/README.md, section \"Writing past the end of a block\".\n"));
}

Test(explain, read_through_a_null_pointer)
{
    struct vg_frame frames[] = { { .fn = "vector_len", .file = "vector.c", .line = 3 } };
    struct vg_error error = {
        .kind = "InvalidRead", .what = "Invalid read of size 8",
        .auxwhat = "Address 0x8 is not stack'd, malloc'd or (recently) free'd",
        .stack = { frames, 1 },
    };
    cr_assert(eq(str, (char *)error_explain(&error),
        "Read 8 bytes through a NULL pointer.\n"
        "It happened at vector.c:3 in vector_len().\n"));
}

Test(explain, write_through_a_wild_pointer)
{
    struct vg_frame frames[] = { { .fn = "vector_set", .file = "vector.c", .line = 5 } };
    struct vg_error error = {
        .kind = "InvalidWrite", .what = "Invalid write of size 1",
        .auxwhat = "Address 0x12345678 is not stack'd, malloc'd or (recently) free'd",
        .stack = { frames, 1 },
    };
    cr_assert(eq(str, (char *)error_explain(&error),
        "Wrote 1 byte at an address that is in no block and no variable: a "
        "pointer that was never set, or that points far from where it should.\n"
        "It happened at vector.c:5 in vector_set().\n"));
}

/* ---- Frees ------------------------------------------------------------------ */

Test(explain, double_free_names_the_first_free)
{
    fixture_load("double_free.xml");
    cr_assert(eq(str, (char *)fixture_explain(0, "double_free.c"),
        "Freed a block that was already freed (double free).\n"
        "It happened inside free(), called from double_free.c:13 in main().\n"
        "The block was allocated at double_free.c:11 in main() "
        "and first freed at double_free.c:6 in list_clear().\n"
        "Read: lessons/02-heap/README.md, section \"Double free and invalid free\".\n"));
}

Test(explain, free_of_a_local_variable)
{
    fixture_load("free_nonheap.xml");
    cr_assert(eq(str, (char *)fixture_explain(0, "free_nonheap.c"),
        "Freed a pointer that malloc never returned: it is the address of a local variable.\n"
        "It happened inside free(), called from free_nonheap.c:6 in release().\n"
        "Read: lessons/02-heap/README.md, section \"Double free and invalid free\".\n"));
}

Test(explain, free_of_a_pointer_into_a_block)
{
    fixture_load("free_nonheap.xml");
    cr_assert(eq(str, (char *)fixture_explain(1, "free_nonheap.c"),
        "Freed a pointer that malloc never returned: it points 4 bytes into a 10-byte block.\n"
        "It happened inside free(), called from free_nonheap.c:6 in release().\n"
        "The block was allocated at free_nonheap.c:13 in main().\n"
        "Read: lessons/02-heap/README.md, section \"Double free and invalid free\".\n"));
}

Test(explain, realloc_of_a_pointer_malloc_never_returned)
{
    struct vg_frame frames[] = {
        { .fn = "realloc", .obj = VGPRELOAD },
        { .fn = "vector_grow", .file = "vector.c", .line = 20 },
    };
    struct vg_error error = {
        .kind = "InvalidFree",
        .what = "Invalid free() / delete / delete[] / realloc()",
        .auxwhat = "Address 0x1fff000594 is on thread 1's stack",
        .stack = { frames, 2 },
    };
    cr_assert(eq(str, (char *)error_explain(&error),
        "Passed realloc() a pointer that malloc never returned: it is the address "
        "of a local variable.\n"
        "It happened inside realloc(), called from vector.c:20 in vector_grow().\n"
        "Read: lessons/02-heap/README.md, section \"Double free and invalid free\".\n"));
}

Test(explain, mismatched_free)
{
    fixture_load("mismatched.xml");
    cr_assert(eq(str, (char *)fixture_explain(0, "mismatched.cpp"),
        "Released a block with a function that does not match the one that "
        "allocated it: free() goes with malloc(), delete with new, delete[] with new[].\n"
        "It happened inside free(), called from mismatched.cpp:12 in main().\n"
        "The block was allocated at mismatched.cpp:6 in table_new().\n"
        "Read: lessons/02-heap/README.md, section \"Double free and invalid free\".\n"));
}

/* ---- Uninitialised values ------------------------------------------------- */

Test(explain, decision_on_a_heap_block_never_written)
{
    fixture_load("uninit_heap.xml");
    cr_assert(eq(str, (char *)fixture_explain(0, "uninit_heap.c"),
        "A decision (if/while/?:) depends on memory that was never initialised.\n"
        "It happened at uninit_heap.c:13 in main().\n"
        "The value comes from a block allocated at uninit_heap.c:7 in counter_new() "
        "and never written since (malloc does not clear memory).\n"
        "Read: lessons/02-heap/README.md, section \"Uninitialised reads\".\n"));
}

Test(explain, decision_on_a_local_never_set)
{
    fixture_load("uninit_stack.xml");
    cr_assert(eq(str, (char *)fixture_explain(0, "uninit_stack.c"),
        "A decision (if/while/?:) depends on memory that was never initialised.\n"
        "It happened at uninit_stack.c:15 in main().\n"
        "The value comes from a local variable of sum() (uninit_stack.c:5) that was never set.\n"
        "Read: lessons/02-heap/README.md, section \"Uninitialised reads\".\n"));
}

Test(explain, use_of_an_uninitialised_value)
{
    struct vg_frame frames[] = { { .fn = "vector_get", .file = "vector.c", .line = 7 } };
    struct vg_error error = {
        .kind = "UninitValue", .what = "Use of uninitialised value of size 8",
        .stack = { frames, 1 },
    };
    cr_assert(eq(str, (char *)error_explain(&error),
        "Used a value that was never initialised, as an address or an index, "
        "or inside a library function such as printf().\n"
        "It happened at vector.c:7 in vector_get().\n"
        "Read: lessons/02-heap/README.md, section \"Uninitialised reads\".\n"));
}

Test(explain, syscall_given_uninitialised_bytes)
{
    fixture_load("syscall_param.xml");
    cr_assert(eq(str, (char *)fixture_explain(0, "syscall_param.c"),
        "Passed write() (its parameter buf) bytes that were never initialised.\n"
        "It happened inside write(), called from syscall_param.c:8 in send().\n"
        "The value comes from a local variable of send() (syscall_param.c:5) that was never set.\n"
        "Read: lessons/02-heap/README.md, section \"Uninitialised reads\".\n"));
}

/* ---- Leaks -------------------------------------------------------------------- */

Test(explain, definite_leak)
{
    fixture_load("leaks.xml");
    cr_assert(eq(str, (char *)fixture_explain(2, "leaks.c"),
        "40 bytes in 1 block were lost: nothing points to them any more and "
        "they were never freed (a leak).\n"
        "The block was allocated at leaks.c:15 in buffer_new().\n"
        "Read: lessons/02-heap/README.md, section \"Leaks\".\n"));
}

Test(explain, definite_leak_holding_other_blocks)
{
    fixture_load("leaks.xml");
    cr_assert(eq(str, (char *)fixture_explain(1, "leaks.c"),
        "32 bytes in 1 block were lost (16 bytes in the block itself, 16 bytes "
        "in blocks reachable only through it): nothing points to them any more "
        "and they were never freed (a leak).\n"
        "The block was allocated at leaks.c:20 in list_new().\n"
        "Read: lessons/02-heap/README.md, section \"Leaks\".\n"));
}

Test(explain, possible_leak)
{
    fixture_load("leaks.xml");
    cr_assert(eq(str, (char *)fixture_explain(0, "leaks.c"),
        "24 bytes in 1 block were possibly lost: they were never freed, and the "
        "only pointers left point inside them, not to their start.\n"
        "The block was allocated at leaks.c:33 in main().\n"
        "Read: lessons/02-heap/README.md, section \"Leaks\".\n"));
}

Test(explain, indirect_leak)
{
    fixture_load("leaks_all.xml");
    cr_assert(eq(str, (char *)fixture_explain(0, "leaks.c"),
        "16 bytes in 1 block were lost indirectly: they were never freed, and "
        "the only pointers to them are in other lost blocks (free what a "
        "structure points to, then the structure).\n"
        "The block was allocated at leaks.c:21 in list_new().\n"
        "Read: lessons/02-heap/README.md, section \"Leaks\".\n"));
}

Test(explain, still_reachable)
{
    fixture_load("still_reachable.xml");
    cr_assert(eq(str, (char *)fixture_explain(0, "still_reachable.c"),
        "64 bytes in 1 block were never freed, though a pointer to them still "
        "existed when the program ended (still reachable).\n"
        "The block was allocated at still_reachable.c:8 in cache_init().\n"
        "Read: lessons/02-heap/README.md, section \"Leaks\".\n"));
}

Test(explain, leak_through_the_harness_allocator_names_the_learner_line)
{
    fixture_load("criterion_worker.xml");
    cr_assert(eq(str, (char *)fixture_explain(2, "strbuild.c"),
        "4 bytes in 1 block were lost: nothing points to them any more and they "
        "were never freed (a leak).\n"
        "The block was allocated at strbuild.c:14 in str_concat().\n"
        "Read: lessons/02-heap/README.md, section \"Leaks\".\n"));
}

Test(explain, leak_of_one_byte_is_singular)
{
    struct vg_frame frames[] = {
        { .fn = "malloc", .obj = VGPRELOAD },
        { .fn = "vector_new", .file = "vector.c", .line = 11 },
    };
    struct vg_error error = {
        .kind = "Leak_DefinitelyLost",
        .what = "1 bytes in 1 blocks are definitely lost in loss record 1 of 1",
        .stack = { frames, 2 }, .leaked_bytes = 1, .leaked_blocks = 1,
    };
    cr_assert(eq(str, (char *)error_explain(&error),
        "1 byte in 1 block was lost: nothing points to it any more and it was "
        "never freed (a leak).\n"
        "The block was allocated at vector.c:11 in vector_new().\n"
        "Read: lessons/02-heap/README.md, section \"Leaks\".\n"));
}

Test(explain, leak_of_several_blocks_is_plural)
{
    struct vg_frame frames[] = {
        { .fn = "malloc", .obj = VGPRELOAD },
        { .fn = "vector_new", .file = "vector.c", .line = 11 },
    };
    struct vg_error error = {
        .kind = "Leak_DefinitelyLost",
        .what = "2,048 bytes in 2 blocks are definitely lost in loss record 1 of 1",
        .stack = { frames, 2 }, .leaked_bytes = 2048, .leaked_blocks = 2,
    };
    cr_assert(eq(str, (char *)error_explain(&error),
        "2048 bytes in 2 blocks were lost: nothing points to them any more and "
        "they were never freed (a leak).\n"
        "The blocks were allocated at vector.c:11 in vector_new().\n"
        "Read: lessons/02-heap/README.md, section \"Leaks\".\n"));
}

/* ---- Other kinds ------------------------------------------------------------ */

Test(explain, overlapping_copy)
{
    fixture_load("overlap.xml");
    cr_assert(eq(str, (char *)fixture_explain(0, "overlap.c"),
        "Copied with strcpy() between overlapping memory: the source and the "
        "destination share bytes, so the result is undefined. memmove() is the "
        "copy that allows overlap.\n"
        "It happened inside strcpy(), called from overlap.c:9 in drop_prefix().\n"));
}

Test(explain, call_through_a_null_function_pointer)
{
    fixture_load("invalid_jump.xml");
    cr_assert(eq(str, (char *)fixture_explain(0, "invalid_jump.c"),
        "Called a function through a NULL function pointer.\n"
        "It happened at invalid_jump.c:15 in main().\n"));
}

Test(explain, fishy_argument_of_malloc)
{
    fixture_load("fishy.xml");
    cr_assert(eq(str, (char *)fixture_explain(0, "fishy.c"),
        "Passed malloc() the value -1 as its argument 'size': a size cannot be "
        "negative, so a computation went below zero (an unsigned subtraction "
        "that wrapped around?).\n"
        "It happened inside malloc(), called from fishy.c:6 in slice_alloc().\n"));
}

Test(explain, unknown_kind_uses_valgrind_words_without_addresses)
{
    struct vg_frame frames[] = { { .fn = "vector_check", .file = "vector.c", .line = 30 } };
    struct vg_error error = {
        .kind = "ClientCheck",
        .what = "Unaddressable byte(s) found during client check request at 0x4A42044",
        .stack = { frames, 1 },
    };
    cr_assert(eq(str, (char *)error_explain(&error),
        "Valgrind reports: Unaddressable byte(s) found during client check "
        "request at an address.\n"
        "It happened at vector.c:30 in vector_check().\n"));
}

Test(explain, error_without_kind_or_words_still_gets_a_sentence)
{
    struct vg_error error = { 0 };
    cr_assert(eq(str, (char *)error_explain(&error),
        "Valgrind reports an error of kind unknown.\n"));
}

/* ---- Choosing the frame to show ---------------------------------------------- */

Test(explain, shows_a_test_frame_when_no_learner_frame_is_on_the_stack)
{
    fixture_load("criterion_worker.xml");
    free(text);
    text = explain_with(&report.errors[1], no_files, test_files);
    cr_assert(not(zero(ptr, text)));
    cr_assert(not(zero(ptr, strstr(text, "called from strbuild_test.c:11 in "))),
              "got: %s", text);
}

Test(explain, shows_the_first_named_frame_when_no_file_is_known)
{
    fixture_load("criterion_worker.xml");
    free(text);
    text = explain_with(&report.errors[1], no_files, no_files);
    cr_assert(not(zero(ptr, text)));
    cr_assert(not(zero(ptr, strstr(text, "It happened at strcmp() (in "
                                         "vgpreload_memcheck-amd64-linux.so).\n"))),
              "got: %s", text);
}

Test(explain, never_prints_an_address_and_says_the_same_twice)
{
    static const char *const fixtures[] = {
        "criterion_worker.xml", "double_free.xml", "fishy.xml", "free_nonheap.xml",
        "invalid_jump.xml", "invalid_write.xml", "leaks_all.xml", "mismatched.xml",
        "overlap.xml", "stack_dangling.xml", "strlen_unterminated.xml",
        "syscall_param.xml", "uninit_heap.xml", "uninit_stack.xml",
        "use_after_free.xml",
    };
    for (size_t f = 0; f < sizeof fixtures / sizeof fixtures[0]; f++) {
        fixture_load(fixtures[f]);
        for (size_t i = 0; i < report.n_errors; i++) {
            static const char *const none[] = { "none.c", NULL };
            char *again = explain_with(&report.errors[i], none, test_files);
            fixture_explain(i, "none.c");
            cr_assert(not(zero(ptr, again)));
            bool same = strcmp(text, again) == 0;
            free(again);
            cr_assert(same, "%s: error %zu explained twice differently", fixtures[f], i);
            cr_assert(zero(ptr, strstr(text, "0x")), "%s: address in: %s", fixtures[f], text);
        }
        vg_report_done(&report);
    }
}

/* ---- Whose error is it --------------------------------------------------------- */

Test(explain, error_in_learner_code_is_the_learners)
{
    static const char *const own[] = { "strbuild.c", "strbuild_test.c", NULL };
    fixture_load("criterion_worker.xml");
    cr_assert(explain_is_learners(&report.errors[0], own));
    cr_assert(explain_is_learners(&report.errors[1], own),
              "a bad read in the test's own line is caused by the learner's data");
    cr_assert(explain_is_learners(&report.errors[2], own));
}

Test(explain, criterion_internal_leak_is_not_the_learners)
{
    static const char *const own[] = { "strbuild.c", "strbuild_test.c", NULL };
    struct vg_frame frames[] = {
        { .fn = "malloc", .obj = VGPRELOAD },
        { .fn = "nn_sock_add_ep", .obj = "/usr/lib/x86_64-linux-gnu/libnanomsg.so.5.1.0" },
        { .fn = "nn_connect", .obj = "/usr/lib/x86_64-linux-gnu/libnanomsg.so.5.1.0" },
        { .fn = "(below main)", .file = "libc_start_call_main.h", .line = 58 },
    };
    struct vg_error error = {
        .kind = "Leak_PossiblyLost", .stack = { frames, 4 },
        .leaked_bytes = 304, .leaked_blocks = 1,
    };
    cr_assert(not(explain_is_learners(&error, own)));
}

Test(explain, error_with_an_empty_stack_is_not_the_learners)
{
    static const char *const own[] = { "vector.c", NULL };
    struct vg_error error = { .kind = "InvalidRead" };
    cr_assert(not(explain_is_learners(&error, own)));
}

/* ---- Fatal signals ------------------------------------------------------------- */

Test(explain, stack_overflow_points_at_lesson_01)
{
    static const char *const learner[] = { "stack_overflow.c", NULL };
    fixture_load("stack_overflow.xml");
    text = crash_with(&report, learner);
    cr_assert(eq(str, text,
        "The program ran out of stack (a stack overflow): usually a recursion "
        "that never reaches its base case, or a very large local array.\n"
        "It happened at stack_overflow.c:5 in depth().\n"
        "Read: lessons/01-stack-frames/README.md, section \"Stack overflow\".\n"));
}

Test(explain, segfault_on_a_null_pointer)
{
    static const char *const learner[] = { "invalid_jump.c", NULL };
    fixture_load("invalid_jump.xml");
    text = crash_with(&report, learner);
    cr_assert(eq(str, text,
        "The program crashed with a segmentation fault (SIGSEGV) using a NULL pointer.\n"
        "It happened at invalid_jump.c:15 in main().\n"));
}

Test(explain, abort_and_timeout_signals)
{
    struct vg_frame frames[] = { { .fn = "vector_push", .file = "vector.c", .line = 42 } };
    struct vg_report aborted = { .fatal_signal = SIGABRT, .signal_stack = { frames, 1 } };
    struct vg_report timed_out = { .fatal_signal = SIGPROF };
    static const char *const learner[] = { "vector.c", NULL };
    text = crash_with(&aborted, learner);
    cr_assert(eq(str, text,
        "The program crashed with an abort (SIGABRT): abort() was called, by a "
        "failed assert() or by the C library finding the heap corrupted (a double "
        "free, a write past a block).\n"
        "It happened at vector.c:42 in vector_push().\n"));
    free(text);
    text = crash_with(&timed_out, learner);
    cr_assert(eq(str, text,
        "The program was stopped because it ran past its time limit (an endless "
        "loop, or code that waits forever).\n"));
}

Test(explain, no_fatal_signal_gives_no_text)
{
    fixture_load("double_free.xml");
    cr_assert(zero(ptr, crash_with(&report, no_files)));
}
