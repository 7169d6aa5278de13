/**
 * @file vgreport_test.c
 * @brief Tests of the Valgrind XML reader over real memcheck 3.19 reports.
 *
 * Every fixture in vgxml/ is what Valgrind wrote for one of the buggy
 * programs in vgxml/src/ (see vgxml/regen.sh), so these tests pin down the
 * structure the grader meets in practice.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vgreport.h"

#ifndef VGXML_DIR
#define VGXML_DIR "vgxml" /* the Makefile runs unit tests from grader/tests */
#endif

static struct vg_report report; /* the fixture under test, freed after each test */

static void report_release(void)
{
    vg_report_done(&report);
}

TestSuite(vgreport, .fini = report_release);

/* Loads fixture @p name into @p report, failing the test if it cannot. */
static void fixture_load(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", VGXML_DIR, name);
    int err = vg_report_load(path, &report);
    cr_assert(eq(int, err, 0), "could not load %s (error %d): run the tests "
              "from grader/tests or define VGXML_DIR", path, err);
}

/* The first error of the loaded report, after checking there is one. */
static const struct vg_error *first_error(void)
{
    cr_assert(ge(sz, report.n_errors, 1), "the report should hold an error");
    return &report.errors[0];
}

/*
 * Checks that @p auxwhat is "Address 0x... <rest>": addresses depend on
 * the environment the fixture was made in, the words do not.
 */
static void auxwhat_check(const char *auxwhat, const char *rest)
{
    cr_assert(auxwhat != NULL, "the error should have an auxwhat");
    cr_assert(eq(int, strncmp(auxwhat, "Address 0x", 10), 0), "got: %s", auxwhat);
    const char *after_address = strchr(auxwhat + strlen("Address "), ' ');
    cr_assert(after_address != NULL, "got: %s", auxwhat);
    cr_assert(eq(str, (char *)after_address + 1, (char *)rest));
}

Test(vgreport, reads_kind_what_and_auxwhat_of_an_invalid_write)
{
    fixture_load("invalid_write.xml");
    const struct vg_error *error = first_error();
    cr_assert(eq(sz, report.n_errors, 1));
    cr_assert(eq(str, error->kind, "InvalidWrite"));
    cr_assert(eq(str, error->what, "Invalid write of size 1"));
    auxwhat_check(error->auxwhat, "is 0 bytes after a block of size 4 alloc'd");
}

Test(vgreport, reads_every_field_of_a_frame)
{
    fixture_load("invalid_write.xml");
    const struct vg_stack *stack = &first_error()->stack;
    cr_assert(eq(sz, stack->len, 2), "the write happened in name_copy, called by main");
    const struct vg_frame *frame = &stack->frames[0];
    cr_assert(eq(str, frame->fn, "name_copy"));
    cr_assert(eq(str, frame->file, "invalid_write.c"));
    cr_assert(eq(str, frame->dir, "/course/grader/tests/vgxml/src"));
    cr_assert(eq(str, frame->obj, "/course/build/invalid_write"));
    cr_assert(eq(int, frame->line, 11));
}

Test(vgreport, puts_the_stack_after_an_alloc_d_auxwhat_in_alloc_at)
{
    fixture_load("invalid_write.xml");
    const struct vg_error *error = first_error();
    cr_assert(eq(sz, error->alloc_at.len, 3));
    cr_assert(eq(str, error->alloc_at.frames[0].fn, "malloc"));
    cr_assert(zero(ptr, error->alloc_at.frames[0].file),
              "Valgrind's malloc has no source file in the report");
    cr_assert(eq(int, error->alloc_at.frames[0].line, 0));
    cr_assert(eq(str, error->alloc_at.frames[1].fn, "name_copy"));
    cr_assert(eq(int, error->alloc_at.frames[1].line, 8));
    cr_assert(eq(sz, error->freed_at.len, 0));
    cr_assert(eq(sz, error->origin.len, 0));
}

Test(vgreport, maps_free_and_alloc_stacks_of_a_use_after_free)
{
    fixture_load("use_after_free.xml");
    const struct vg_error *error = first_error();
    cr_assert(eq(str, error->kind, "InvalidRead"));
    auxwhat_check(error->auxwhat, "is 8 bytes inside a block of size 40 free'd");
    cr_assert(eq(sz, error->stack.len, 1));
    cr_assert(eq(sz, error->freed_at.len, 3));
    cr_assert(eq(str, error->freed_at.frames[1].fn, "record_free"));
    cr_assert(eq(sz, error->alloc_at.len, 3));
    cr_assert(eq(str, error->alloc_at.frames[0].fn, "calloc"));
    cr_assert(eq(str, error->alloc_at.frames[1].fn, "record_new"));
}

Test(vgreport, maps_the_first_free_of_a_double_free)
{
    fixture_load("double_free.xml");
    const struct vg_error *error = first_error();
    cr_assert(eq(str, error->kind, "InvalidFree"));
    cr_assert(eq(str, error->stack.frames[1].fn, "main"));
    cr_assert(eq(int, error->stack.frames[1].line, 13));
    cr_assert(eq(str, error->freed_at.frames[1].fn, "list_clear"));
    cr_assert(eq(int, error->alloc_at.frames[1].line, 11));
}

Test(vgreport, keeps_errors_in_report_order)
{
    fixture_load("free_nonheap.xml");
    cr_assert(eq(sz, report.n_errors, 2));
    /* The first auxwhat is kept, not the "in frame #2" line after it. */
    auxwhat_check(report.errors[0].auxwhat, "is on thread 1's stack");
    cr_assert(eq(sz, report.errors[0].alloc_at.len, 0));
    cr_assert(eq(sz, report.errors[1].alloc_at.len, 2));
    cr_assert(eq(int, report.errors[1].stack.frames[2].line, 14));
}

Test(vgreport, maps_a_heap_origin_of_an_uninitialised_value)
{
    fixture_load("uninit_heap.xml");
    const struct vg_error *error = first_error();
    cr_assert(eq(str, error->kind, "UninitCondition"));
    cr_assert(eq(str, error->auxwhat,
                 "Uninitialised value was created by a heap allocation"));
    cr_assert(eq(sz, error->origin.len, 3));
    cr_assert(eq(str, error->origin.frames[1].fn, "counter_new"));
    cr_assert(eq(sz, error->alloc_at.len, 0));
}

Test(vgreport, maps_a_stack_origin_of_an_uninitialised_value)
{
    fixture_load("uninit_stack.xml");
    const struct vg_error *error = first_error();
    cr_assert(eq(sz, error->origin.len, 1));
    cr_assert(eq(str, error->origin.frames[0].fn, "sum"));
    cr_assert(eq(int, error->origin.frames[0].line, 5));
}

Test(vgreport, maps_a_stack_by_the_auxwhat_just_before_it)
{
    /* Three auxwhat lines, then the origin stack: only the last one says
     * what the stack is. */
    fixture_load("syscall_param.xml");
    const struct vg_error *error = first_error();
    cr_assert(eq(str, error->kind, "SyscallParam"));
    auxwhat_check(error->auxwhat, "is on thread 1's stack");
    cr_assert(eq(sz, error->origin.len, 1));
    cr_assert(eq(str, error->origin.frames[0].fn, "send"));
}

Test(vgreport, reads_leak_counts_and_text_from_xwhat)
{
    fixture_load("leaks.xml");
    cr_assert(eq(sz, report.n_errors, 3),
              "definite and possible leaks only: the grader's default");
    const struct vg_error *error = &report.errors[1];
    cr_assert(eq(str, error->kind, "Leak_DefinitelyLost"));
    cr_assert(eq(str, error->what, "32 (16 direct, 16 indirect) bytes in 1 blocks "
                                   "are definitely lost in loss record 3 of 4"));
    cr_assert(eq(sz, error->leaked_bytes, 32));
    cr_assert(eq(sz, error->leaked_blocks, 1));
    cr_assert(zero(ptr, error->auxwhat));
    cr_assert(eq(str, error->stack.frames[1].fn, "list_new"));
}

Test(vgreport, reads_every_leak_kind)
{
    fixture_load("leaks_all.xml");
    cr_assert(eq(sz, report.n_errors, 4));
    cr_assert(eq(str, report.errors[0].kind, "Leak_IndirectlyLost"));
    cr_assert(eq(str, report.errors[1].kind, "Leak_PossiblyLost"));
    cr_assert(eq(sz, report.errors[0].leaked_bytes, 16));
}

Test(vgreport, reads_still_reachable_blocks)
{
    fixture_load("still_reachable.xml");
    cr_assert(eq(str, first_error()->kind, "Leak_StillReachable"));
    cr_assert(eq(sz, first_error()->leaked_bytes, 64));
}

Test(vgreport, trims_the_newline_valgrind_leaves_in_some_whats)
{
    fixture_load("overlap.xml");
    const char *what = first_error()->what;
    const char *expected = "Source and destination overlap in strcpy(0x";
    cr_assert(eq(int, strncmp(what, expected, strlen(expected)), 0), "got: %s", what);
    cr_assert(eq(chr, what[strlen(what) - 1], ')'), "no newline after the ')': %s", what);
}

Test(vgreport, keeps_kinds_it_does_not_know)
{
    fixture_load("fishy.xml");
    cr_assert(eq(str, first_error()->kind, "FishyValue"));
    cr_assert(eq(str, first_error()->what, "Argument 'size' of function malloc "
                                           "has a fishy (possibly negative) value: -1"));
}

Test(vgreport, reads_cpp_names_of_a_mismatched_free)
{
    fixture_load("mismatched.xml");
    const struct vg_error *error = first_error();
    cr_assert(eq(str, error->kind, "MismatchedFree"));
    cr_assert(eq(str, error->alloc_at.frames[0].fn, "operator new[](unsigned long)"));
}

Test(vgreport, keeps_a_frame_that_has_only_an_address)
{
    fixture_load("invalid_jump.xml");
    const struct vg_error *error = first_error();
    cr_assert(eq(str, error->kind, "InvalidJump"));
    cr_assert(eq(sz, error->stack.len, 2));
    cr_assert(zero(ptr, error->stack.frames[0].fn));
    cr_assert(zero(ptr, error->stack.frames[0].obj));
}

Test(vgreport, reads_the_fatal_signal_with_its_address_and_stack)
{
    fixture_load("stack_overflow.xml");
    cr_assert(eq(sz, report.n_errors, 0));
    cr_assert(eq(int, report.fatal_signal, 11));
    /* Just above the 8 MiB stack limit, below Valgrind's stack top. */
    cr_assert(gt(u64, report.signal_addr, 0x1FFE801000ULL));
    cr_assert(lt(u64, report.signal_addr, 0x1FFE802000ULL));
    cr_assert(eq(sz, report.signal_stack.len, 1));
    cr_assert(eq(str, report.signal_stack.frames[0].fn, "depth"));
    cr_assert(report.finished, "Valgrind finished writing this report");
}

Test(vgreport, reads_pid_and_finished_state)
{
    fixture_load("double_free.xml");
    cr_assert(gt(int, report.pid, 0));
    cr_assert(report.finished);
    cr_assert(eq(int, report.fatal_signal, 0));
    cr_assert(eq(sz, report.signal_stack.len, 0));
}

Test(vgreport, reads_a_criterion_worker_report)
{
    fixture_load("criterion_worker.xml");
    cr_assert(eq(sz, report.n_errors, 3));
    const struct vg_error *write = &report.errors[0];
    cr_assert(eq(sz, write->stack.len, 8));
    cr_assert(eq(str, write->stack.frames[0].fn, "memmove"));
    cr_assert(eq(str, write->stack.frames[1].file, "strbuild.c"));
    cr_assert(eq(int, write->stack.frames[1].line, 17));
    cr_assert(zero(ptr, write->stack.frames[5].fn),
              "Criterion's internal frames have no names");
    cr_assert(eq(str, write->alloc_at.frames[1].fn, "course_malloc"));
    cr_assert(eq(str, report.errors[2].kind, "Leak_DefinitelyLost"));
}

Test(vgreport, keeps_the_whole_errors_of_a_cut_file)
{
    fixture_load("truncated.xml");
    cr_assert(eq(sz, report.n_errors, 1), "the second error is cut: it is dropped");
    cr_assert(eq(str, report.errors[0].kind, "InvalidFree"));
    cr_assert(eq(sz, report.errors[0].stack.len, 3));
    cr_assert(not(report.finished));
}

Test(vgreport, is_not_finished_when_cut_among_the_leaks)
{
    /* Valgrind writes FINISHED before the leak errors: a file cut among
     * them holds that status, yet it is not whole. */
    fixture_load("truncated_leaks.xml");
    cr_assert(eq(sz, report.n_errors, 1));
    cr_assert(eq(str, report.errors[0].kind, "Leak_PossiblyLost"));
    cr_assert(not(report.finished));
}

Test(vgreport, rejects_a_file_that_is_not_xml)
{
    int err = vg_report_load(VGXML_DIR "/not_xml.xml", &report);
    cr_assert(eq(int, err, -EINVAL));
    cr_assert(eq(sz, report.n_errors, 0));
    cr_assert(zero(ptr, report.errors));
}

Test(vgreport, reports_a_missing_file)
{
    cr_assert(eq(int, vg_report_load(VGXML_DIR "/no_such_report.xml", &report), -ENOENT));
}

Test(vgreport, rejects_a_directory)
{
    cr_assert(eq(int, vg_report_load(VGXML_DIR, &report), -EINVAL));
}

/* Writes @p text to a new temporary file, whose name goes to @p path. */
static void temp_write(char *path, const char *text)
{
    int fd = mkstemp(path);
    cr_assert(ge(int, fd, 0), "could not create a temporary file");
    FILE *file = fdopen(fd, "w");
    cr_assert(not(zero(ptr, file)));
    fputs(text, file);
    fclose(file);
}

Test(vgreport, rejects_xml_that_is_not_a_valgrind_report)
{
    char path[] = "/tmp/vgreport_test_XXXXXX";
    temp_write(path, "<?xml version=\"1.0\"?>\n<html><error/></html>\n");
    int err = vg_report_load(path, &report);
    unlink(path);
    cr_assert(eq(int, err, -EINVAL));
}

Test(vgreport, rejects_an_empty_file)
{
    char path[] = "/tmp/vgreport_test_XXXXXX";
    temp_write(path, "");
    int err = vg_report_load(path, &report);
    unlink(path);
    cr_assert(eq(int, err, -EINVAL), "a process killed before Valgrind wrote anything");
}

Test(vgreport, reads_a_file_cut_in_its_preamble_as_an_empty_report)
{
    char path[] = "/tmp/vgreport_test_XXXXXX";
    temp_write(path, "<?xml version=\"1.0\"?>\n<valgrindoutput>\n<pid>42</pid>\n<sta");
    int err = vg_report_load(path, &report);
    unlink(path);
    cr_assert(eq(int, err, 0));
    cr_assert(eq(int, report.pid, 42));
    cr_assert(eq(sz, report.n_errors, 0));
    cr_assert(not(report.finished));
}

Test(vgreport, reads_empty_elements_as_empty_strings)
{
    char path[] = "/tmp/vgreport_test_XXXXXX";
    temp_write(path, "<valgrindoutput><error><kind>Odd</kind><what></what>"
                     "<stack><frame><fn></fn><line>x</line></frame></stack>"
                     "</error></valgrindoutput>");
    int err = vg_report_load(path, &report);
    unlink(path);
    cr_assert(eq(int, err, 0));
    const struct vg_error *error = first_error();
    cr_assert(eq(str, error->what, ""));
    cr_assert(eq(str, error->stack.frames[0].fn, ""));
    cr_assert(eq(int, error->stack.frames[0].line, 0), "a line that is not a number is unknown");
}

Test(vgreport, gives_an_error_without_kind_or_what_empty_strings)
{
    char path[] = "/tmp/vgreport_test_XXXXXX";
    temp_write(path, "<valgrindoutput><error><unique>0x0</unique></error>"
                     "</valgrindoutput>");
    int err = vg_report_load(path, &report);
    unlink(path);
    cr_assert(eq(int, err, 0));
    cr_assert(eq(str, first_error()->kind, ""), "callers compare kinds without a NULL check");
    cr_assert(eq(str, first_error()->what, ""));
}

Test(vgreport, done_accepts_a_zeroed_report_and_leaves_it_zeroed)
{
    struct vg_report empty = { 0 };
    vg_report_done(&empty);
    vg_report_done(NULL);
    fixture_load("leaks.xml");
    vg_report_done(&report);
    cr_assert(eq(sz, report.n_errors, 0));
    cr_assert(zero(ptr, report.errors));
    vg_report_done(&report); /* the suite's .fini does it again: harmless */
}
