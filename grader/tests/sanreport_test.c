/**
 * @file sanreport_test.c
 * @brief Tests of reading sanitizer reports, and of the promise that a
 *        learner reads the same words whichever tool found the error.
 *
 * The fixtures in sanlog/ are real: the logs of tests that the grader ran
 * with --fast on planted bugs of the course (the mutants of lessons 02 and
 * 05), and of the small program sanlog/t.c and s.c built with
 * `gcc -g -O0 -fsanitize=address,undefined`, gcc 12's libsanitizer. The
 * *.xml beside them are memcheck's reports of the same bugs under the
 * grader's Valgrind run. Paths were replaced with /course and
 * /tmp/grader-XXXXXX; nothing else was edited.
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
#include "sanreport.h"
#include "vgreport.h"

/** The most lines a first failure may take (issue 22). */
#define FIRST_FAILURE_MAX_LINES 15

static struct course course;     /* the real course: its lessons are cited */
static struct vg_report report;  /* the sanitizer report under test */
static struct vg_report memcheck; /* the Valgrind report of the same bug */
static char *log_text;           /* the fixture's text */
static char *text;               /* an explanation under test */

static void setup(void)
{
    char *error = NULL;
    cr_assert(eq(int, course_load("../..", &course, &error), 0),
              "the course tree is not at ../..: %s", error ? error : "");
}

static void release(void)
{
    vg_report_done(&report);
    vg_report_done(&memcheck);
    course_done(&course);
    free(log_text), free(text);
    log_text = text = NULL;
}

TestSuite(sanreport, .init = setup, .fini = release);

/* Reads sanlog/NAME into log_text and parses it into report. */
static void log_load(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "sanlog/%s", name);
    FILE *in = fopen(path, "r");
    cr_assert(not(zero(ptr, in)), "cannot open %s: run from grader/tests", path);
    static char buffer[1 << 16];
    size_t len = fread(buffer, 1, sizeof buffer - 1, in);
    fclose(in);
    buffer[len] = '\0';
    log_text = strdup(buffer);
    cr_assert(eq(int, san_report_parse(log_text, &report), 0));
}

/* Explains @p error as the grader does for @p learner_file of @p slug. */
static char *explain_as_grader(const struct vg_error *error, const char *learner_file,
                               const char *test_file)
{
    const char *learner[] = { learner_file, NULL };
    const char *tests[] = { test_file, NULL };
    struct explain_context ctx = { learner, tests, NULL, &course };
    return explain_error(error, &ctx);
}

/* The first error of @p from whose kind is @p kind. */
static const struct vg_error *error_of(const struct vg_report *from, const char *kind)
{
    for (size_t i = 0; i < from->n_errors; i++)
        if (strcmp(from->errors[i].kind, kind) == 0)
            return &from->errors[i];
    cr_assert(false, "no %s error in the report", kind);
    return NULL;
}

static size_t lines_of(const char *words)
{
    size_t n = 0;
    for (; *words; words++)
        n += *words == '\n';
    return n;
}

/* Asserts that the sanitizer's error and memcheck's read the same, and
 * that the text, under a "FAILED" line, a heading, the test's name and its
 * description, fits the first failure's budget of lines. */
static void assert_same_words(const char *kind, const char *xml, const char *learner_file,
                              const char *test_file)
{
    char path[256];
    snprintf(path, sizeof path, "sanlog/%s", xml);
    cr_assert(eq(int, vg_report_load(path, &memcheck), 0), "cannot load %s", path);
    text = explain_as_grader(error_of(&report, kind), learner_file, test_file);
    char *valgrind = explain_as_grader(error_of(&memcheck, kind), learner_file, test_file);
    bool same = text && valgrind && strcmp(text, valgrind) == 0;
    cr_expect(same, "the sanitizer's words:\n%s\nmemcheck's words:\n%s", text, valgrind);
    free(valgrind);
    cr_assert(le(sz, lines_of(text) + 4, FIRST_FAILURE_MAX_LINES));
}

Test(sanreport, heap_overflow_reads_as_memchecks)
{
    log_load("heap_overflow.log");
    cr_assert(eq(sz, report.n_errors, 1));
    const struct vg_error *error = &report.errors[0];
    cr_assert(eq(str, error->kind, "InvalidWrite"));
    cr_assert(eq(sz, error->access_size, 1));
    cr_assert(eq(int, error->address.place, VG_PLACE_BLOCK));
    cr_assert(eq(int, error->address.side, VG_SIDE_AFTER));
    cr_assert(eq(sz, error->address.offset, 0));
    cr_assert(eq(sz, error->address.size, 24));
    cr_assert(eq(int, error->stack.frames[0].line, 103));
    cr_assert(eq(str, error->stack.frames[0].file, "strstack.c"));
    assert_same_words("InvalidWrite", "heap_overflow.xml", "strstack.c", "strstack_test.c");
    cr_assert(eq(str, text,
        "Wrote 1 byte just past the end of a 24-byte block.\n"
        "It happened at strstack.c:103 in strstack_join().\n"
        "The block was allocated at strstack.c:91 in strstack_join().\n"
        "Read: lessons/02-heap/README.md, section \"Writing past the end of a block\".\n"));
}

Test(sanreport, use_after_free_reads_as_memchecks)
{
    log_load("use_after_free.log");
    const struct vg_error *error = &report.errors[0];
    cr_assert(eq(str, error->kind, "InvalidRead"));
    cr_assert(error->address.freed);
    cr_assert(eq(sz, error->freed_at.len, 10), "frames of \"freed by thread T0 here:\"");
    cr_assert(eq(sz, error->alloc_at.len, 12), "frames of \"previously allocated by\"");
    cr_assert(eq(str, error->freed_at.frames[0].fn, "free"), "the interceptor's own name");
    assert_same_words("InvalidRead", "use_after_free.xml", "strstack.c", "strstack_test.c");
    cr_assert(eq(str, text,
        "Read 8 bytes at offset 8 of a 16-byte block that was already freed (use after free).\n"
        "It happened at strstack.c:85 in strstack_pop().\n"
        "The block was allocated at strstack.c:49 in strstack_node_new() and freed at "
        "strstack.c:84 in strstack_pop().\n"
        "Read: lessons/02-heap/README.md, section \"Use after free\".\n"));
}

Test(sanreport, leak_reads_as_memchecks)
{
    log_load("leak.log");
    const struct vg_error *error = &report.errors[0];
    cr_assert(eq(str, (char *)error->tool, "LeakSanitizer"));
    cr_assert(eq(sz, error->leaked_bytes, 512));
    cr_assert(eq(sz, error->leaked_blocks, 1));
    assert_same_words("Leak_DefinitelyLost", "leak.xml", "vector.c", "vector_test.c");
    cr_assert(eq(str, text,
        "512 bytes in 1 block were lost: nothing points to them any more and they were "
        "never freed (a leak).\n"
        "The block was allocated at vector.c:42 in vector_resize().\n"
        "Read: lessons/02-heap/README.md, section \"Leaks\".\n"));
}

Test(sanreport, signed_overflow_is_explained_with_its_lesson)
{
    log_load("signed_overflow.log");
    const struct vg_error *error = &report.errors[0];
    cr_assert(eq(str, error->kind, "UndefinedBehavior"));
    cr_assert(eq(int, error->stack.frames[0].column, 9));
    text = explain_as_grader(error, "checked_math.c", "checked_math_test.c");
    cr_assert(eq(str, text,
        "Undefined behaviour: signed integer overflow: 2147483647 + 1 cannot be "
        "represented in type 'int'.\n"
        "The result does not fit its type: check the operands before the operation, "
        "not the result after it.\n"
        "It happened at checked_math.c:52:9.\n"
        "Read: lessons/05-overflow/README.md, section \"Integer overflow that becomes a "
        "memory overflow\".\n"));
    cr_assert(le(sz, lines_of(text) + 4, FIRST_FAILURE_MAX_LINES));
}

Test(sanreport, null_store_reads_as_memcheck_does)
{
    log_load("null_store.log");
    text = explain_as_grader(&report.errors[0], "vector.c", "vector_test.c");
    cr_assert(eq(str, text, "Wrote memory through a NULL pointer.\n"
                            "It happened at vector.c:81:24.\n"));
}

Test(sanreport, local_array_overflow_names_the_array)
{
    log_load("stack_array_overflow.log");
    text = explain_as_grader(&report.errors[0], "s.c", "none_test.c");
    cr_assert(eq(str, text,
        "Wrote 1 byte 1 byte past the end of the local array 'buf' (8 bytes).\n"
        "It happened at s.c:4 in fill().\n"
        "Read: lessons/05-overflow/README.md, section \"Buffer overflow on the stack, "
        "and each defence\".\n"));
}

Test(sanreport, global_array_overflow_names_the_array)
{
    log_load("global_array_overflow.log");
    text = explain_as_grader(&report.errors[0], "s.c", "none_test.c");
    cr_assert(eq(str, text,
        "Wrote 4 bytes 4 bytes past the end of the global array 'table' (40 bytes).\n"
        "It happened at s.c:5 in gfill().\n"
        "Read: lessons/05-overflow/README.md, section \"Buffer overflow on the stack, "
        "and each defence\".\n"));
}

Test(sanreport, double_and_invalid_frees)
{
    log_load("double_free.log");
    text = explain_as_grader(&report.errors[0], "t.c", "none_test.c");
    cr_assert(eq(str, text,
        "Freed a block that was already freed (double free).\n"
        "It happened inside free(), called from t.c:12 in main().\n"
        "The block was allocated at t.c:12 in main() and first freed at t.c:12 in "
        "main().\n"
        "Read: lessons/02-heap/README.md, section \"Double free and invalid free\".\n"));
    vg_report_done(&report), free(log_text), free(text);
    log_load("free_of_local.log");
    text = explain_as_grader(&report.errors[0], "t.c", "none_test.c");
    cr_assert(not(zero(ptr, strstr(text, "Freed a pointer that malloc never returned: it is "
                                         "the address of a local variable, 'buf'.\n"))),
              "got: %s", text);
    vg_report_done(&report), free(log_text), free(text);
    log_load("free_inside_block.log");
    text = explain_as_grader(&report.errors[0], "t.c", "none_test.c");
    cr_assert(not(zero(ptr, strstr(text, "it points 1 byte into a 8-byte block."))),
              "got: %s", text);
}

Test(sanreport, deadly_signals_fill_the_fatal_signal)
{
    log_load("segv_null.log");
    cr_assert(eq(int, report.fatal_signal, SIGSEGV));
    cr_assert(eq(u64, report.signal_addr, 8));
    cr_assert(eq(sz, report.n_errors, 0));
    static const char *const learner[] = { "s.c", NULL };
    static const char *const none[] = { NULL };
    struct explain_context ctx = { learner, none, NULL, &course };
    text = explain_fatal_signal(&report, &ctx, true);
    cr_assert(eq(str, text,
        "The program crashed with a segmentation fault (SIGSEGV) using a NULL pointer.\n"
        "It happened at s.c:11 in main().\n"));
    vg_report_done(&report), free(log_text), free(text);
    log_load("stack_overflow.log");
    cr_assert(report.stack_overflow);
    static const char *const t[] = { "t.c", NULL };
    ctx.learner_files = t;
    text = explain_fatal_signal(&report, &ctx, true);
    cr_assert(eq(str, text,
        "The program ran out of stack (a stack overflow): usually a recursion that never "
        "reaches its base case, or a very large local array.\n"
        "It happened at t.c:5 in rec().\n"
        "Read: lessons/01-stack-frames/README.md, section \"Stack overflow\".\n"));
}

Test(sanreport, overlap_and_bounds)
{
    log_load("memcpy_overlap.log");
    text = explain_as_grader(&report.errors[0], "t.c", "none_test.c");
    cr_assert(eq(str, text,
        "Copied with memcpy() between overlapping memory: the source and the destination "
        "share bytes, so the result is undefined. memmove() is the copy that allows "
        "overlap.\n"
        "It happened inside memcpy(), called from t.c:16 in main().\n"));
    vg_report_done(&report), free(log_text), free(text);
    log_load("index_out_of_bounds.log");
    text = explain_as_grader(&report.errors[0], "parse_int.c", "parse_int_test.c");
    cr_assert(not(zero(ptr, strstr(text, "index 11 out of bounds for type 'char [11]'"))));
    cr_assert(not(zero(ptr, strstr(text, "Buffer overflow on the stack"))), "got: %s", text);
}

Test(sanreport, report_in_a_test_line_names_the_test_line)
{
    log_load("use_after_free_in_test.log");
    text = explain_as_grader(&report.errors[0], "strstack.c", "strstack_test.c");
    cr_assert(not(zero(ptr, strstr(text, "It happened inside strcmp(), called from "
                                         "strstack_test.c:96 in "))),
              "got: %s", text);
}

/* ---- The raw report, and where it starts -------------------------------- */

Test(sanreport, raw_text_drops_pids_and_the_shadow_map)
{
    log_load("heap_overflow.log");
    text = san_report_text(log_text, 100);
    cr_assert(not(zero(ptr, text)));
    cr_assert(zero(ptr, strstr(text, "Shadow")), "got: %s", text);
    cr_assert(zero(ptr, strstr(text, "==4047==")));
    cr_assert(eq(int, strncmp(text, "ERROR: AddressSanitizer: heap-buffer-overflow", 45), 0));
    cr_assert(not(zero(ptr, strstr(text, "SUMMARY: AddressSanitizer"))));
}

Test(sanreport, start_skips_the_tests_own_output)
{
    const char *log = "my own line\n=================================================="
                      "===============\n==1==ERROR: LeakSanitizer: detected memory leaks\n";
    cr_assert(eq(ptr, (void *)san_report_start(log), (void *)(log + strlen("my own line\n"))));
    cr_assert(eq(str, (char *)san_report_tool(log), "LeakSanitizer"));
    cr_assert(zero(ptr, (void *)san_report_start("nothing to see\n")));
}

/* ---- Learner output is hostile -------------------------------------------- */

Test(sanreport, forged_and_broken_reports_are_read_safely)
{
    static const char *const logs[] = {
        "ERROR: AddressSanitizer: \n",
        "==1==ERROR: AddressSanitizer: heap-buffer-overflow\nWRITE of size 99999999999999999999999 at\n"
        "    #0 0x1 in\n    #1 0x in f\n    #x\n#\n",
        "x.c:99999999999999999999:1: runtime error: \n    #0 0x5 in f x.c:1\n",
        ":: runtime error: \n",
        "ERROR: AddressSanitizer: SEGV on unknown address\n",
        "Direct leak of byte(s) in object(s) allocated from:\n    #0 0x1 in f (\n",
        "0x1 is located 5 bytes to the right of -byte region\n[, ) '' <== Memory access\n",
    };
    for (size_t i = 0; i < sizeof logs / sizeof *logs; i++) {
        struct vg_report forged;
        cr_assert(eq(int, san_report_parse(logs[i], &forged), 0), "log %zu", i);
        for (size_t e = 0; e < forged.n_errors; e++) {
            char *words = explain_as_grader(&forged.errors[e], "x.c", "x_test.c");
            cr_assert(not(zero(ptr, words)), "log %zu error %zu", i, e);
            free(words);
        }
        vg_report_done(&forged);
    }
}

Test(sanreport, errors_and_frames_are_bounded)
{
    size_t size = 1 << 20;
    char *log = malloc(size);
    cr_assert(not(zero(ptr, log)));
    size_t len = 0;
    for (int i = 0; i < 200 && len + 200 < size; i++)
        len += (size_t)snprintf(log + len, size - len, "x.c:%d:1: runtime error: boom\n", i);
    for (int i = 0; i < 5000 && len + 200 < size; i++)
        len += (size_t)snprintf(log + len, size - len, "    #%d 0x1 in f x.c:%d\n", i, i);
    struct vg_report many;
    cr_assert(eq(int, san_report_parse(log, &many), 0));
    cr_assert(le(sz, many.n_errors, 8));
    for (size_t e = 0; e < many.n_errors; e++)
        cr_assert(le(sz, many.errors[e].stack.len, 48));
    vg_report_done(&many);
    free(log);
}

/* ---- The lessons cited exist ---------------------------------------------- */

/* Whether the README of @p lesson has a heading that reads @p title. */
static bool heading_exists(const struct lesson *lesson, const char *title)
{
    char path[512];
    snprintf(path, sizeof path, "../../lessons/%s/README.md", lesson->slug);
    FILE *in = fopen(path, "r");
    if (in == NULL)
        return false;
    char line[1024];
    bool found = false;
    while (!found && fgets(line, sizeof line, in)) {
        line[strcspn(line, "\n")] = '\0';
        const char *words = line + strspn(line, "#");
        found = words > line && *words == ' ' && strcmp(words + 1, title) == 0;
    }
    fclose(in);
    return found;
}

static bool topic_known(const char *kind)
{
    for (size_t i = 0; explain_topics[i]; i++)
        if (strcmp(explain_topics[i], kind) == 0)
            return true;
    return false;
}

Test(sanreport, every_cited_section_is_a_heading_of_its_lesson)
{
    for (size_t l = 0; l < course.n_lessons; l++) {
        const struct lesson *lesson = &course.lessons[l];
        for (size_t i = 0; i < lesson->n_error_sections; i++) {
            const struct lesson_section *section = &lesson->error_sections[i];
            cr_expect(topic_known(section->kind), "lessons/%s/lesson.json: \"%s\" is no "
                      "kind of error the grader explains (explain_topics)", lesson->slug,
                      section->kind);
            cr_expect(heading_exists(lesson, section->title), "lessons/%s/lesson.json cites "
                      "the section \"%s\", which lessons/%s/README.md has no heading for",
                      lesson->slug, section->title, lesson->slug);
        }
    }
    for (size_t i = 0; explain_topics[i]; i++) {
        const struct lesson *lesson;
        cr_expect(not(zero(ptr, (void *)course_section(&course, explain_topics[i], &lesson))),
                  "no lesson.json maps \"%s\" to a section (error_sections)", explain_topics[i]);
    }
}
