/**
 * @file verdict.c
 * @brief From a test's outcome and memory report to points and words.
 *
 * Points come from the harness's outcome alone (verdict.h). The words come
 * from the test's memory report: memcheck's XML (vgreport.h), or the
 * sanitizers' report in the test's log (sanreport.h), both told by the same
 * explainers (explain.h). A log is the learner's to write into, so what it
 * holds changes words, never points.
 *
 * Which leaks are told: none of a test that crashed (it never got to free);
 * of a test whose assertions failed, only the blocks that the learner's code
 * allocated when the failure was the course's own count of live blocks
 * (alloc_faults.h), since the test's own blocks were left by the failure.
 */
#define _GNU_SOURCE
#include "verdict.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "course_protocol.h"
#include "explain.h"
#include "run.h"
#include "sanreport.h"
#include "util.h"
#include "vgreport.h"

/** At most this many memory errors are explained per test. */
#define MAX_EXPLAINED 5
/** Tail of the test's own output shown with a failure. */
#define OUTPUT_TAIL_BYTES 1500

static json_t *verdict_base(const struct test_entry *entry)
{
    json_int_t points = (json_int_t)entry->points;
    return json_pack("{s:s, s:s, s:s?, s:I, s:f, s:I, s:s}", "suite", str_or_empty(entry->suite),
                     "name", str_or_empty(entry->name), "description", entry->description,
                     "points", points, "score", 0.0, "max_score", points, "visibility",
                     entry->visibility ? entry->visibility : "visible");
}

json_t *verdict_unbuilt(const struct test_entry *entry, const char *why)
{
    json_t *verdict = verdict_base(entry);
    json_object_set_new(verdict, "status", json_string("failed"));
    json_object_set_new(verdict, "functional", json_false());
    json_object_set_new(verdict, "memory_errors", json_integer(0));
    json_object_set_new(verdict, "output", json_string(why));
    return verdict;
}

/** How much of a test's output is read: its end holds a sanitizer's report. */
#define LOG_READ_BYTES (256 * 1024)
/** Lines of a sanitizer's raw report kept for --verbose. */
#define RAW_REPORT_LINES 60

/** The course's allocator wrappers (grader/harness/alloc_faults.c): their
 *  frames are the allocator's, neither the learner's nor the test's. */
static const char *const ALLOCATOR_FILES[] = { "alloc_faults.c", NULL };
/** How a test asks the course's count of live blocks (alloc_faults.h): a
 *  failed assertion that names it found blocks left. */
#define BLOCK_COUNT_CALL "alloc_live_blocks()"

/** What the run left of one test, read once. */
struct evidence {
    char *log;               /**< the test's output (its end), or NULL */
    struct vg_report report; /**< memcheck's or the sanitizers' report */
    bool has_report;         /**< @c report was read: a Valgrind XML, or a
                                  sanitizer report in @c log */
    struct explain_context ctx; /**< whose files are whose */
    const char *learner[2];  /**< the learner's file, NULL-terminated */
    const char *tests[2];    /**< the test's file, NULL-terminated */
};

static void evidence_load(struct evidence *ev, const struct verdict_input *in, size_t index,
                          const struct test_outcome *outcome)
{
    *ev = (struct evidence){ .learner = { in->learner_file, NULL },
                             .tests = { in->test_file, NULL } };
    ev->ctx = (struct explain_context){ .learner_files = ev->learner, .test_files = ev->tests,
                                        .learner_path = in->learner_path,
                                        .course = in->course };
    char *log_path = str_printf("%s/" PROTO_RUN_LOGS "/" PROTO_LOG_NAME, in->run_dir, index);
    ev->log = log_path ? file_read_tail(log_path, LOG_READ_BYTES) : NULL;
    free(log_path);
    if (in->fast) {
        ev->has_report = ev->log && san_report_start(ev->log)
                         && san_report_parse(ev->log, &ev->report) == 0;
        return;
    }
    char *path = str_printf("%s/" PROTO_RUN_XML "/" PROTO_XML_NAME, in->run_dir, outcome->pid);
    ev->has_report = path && vg_report_load(path, &ev->report) == 0;
    free(path);
}

static void evidence_done(struct evidence *ev)
{
    free(ev->log);
    vg_report_done(&ev->report);
    *ev = (struct evidence){ 0 };
}

/* Writes an explanation block under a heading, without trailing newlines. */
static void put_block(FILE *out, const char *heading, const char *words)
{
    size_t len = strlen(words);
    while (len > 0 && words[len - 1] == '\n')
        len--;
    fprintf(out, "%s%s%.*s", heading, *heading ? "\n" : "", (int)len, words);
}

/* Whether a failed assertion of the test asked the course's block count. */
static bool failed_on_block_count(const struct test_outcome *outcome)
{
    for (size_t i = 0; i < outcome->n_failures; i++) {
        const char *text = outcome->failures[i].text;
        if (text && strstr(text, BLOCK_COUNT_CALL))
            return true;
    }
    return false;
}

/** Which errors of a report explain_memory() tells. */
struct telling {
    bool skip_leaks;    /**< the test crashed or failed: leaks are not told... */
    bool learners_only; /**< ...except the learner's own blocks, when the test
                             failed on the course's block count */
};

/* Whether @p error is one that explain_memory() tells and counts. */
static bool error_told(const struct evidence *ev, const struct vg_error *error,
                       const struct telling *telling)
{
    if (strcmp(error->kind, "Leak_StillReachable") == 0)
        return false;
    if (strncmp(error->kind, "Leak_", 5) != 0 || !telling->skip_leaks)
        return true;
    return telling->learners_only
           && explain_block_is_learners(error, &ev->ctx, ALLOCATOR_FILES);
}

/* Appends the memory errors of the report, each explained. Every error
 * counts, wherever its frames are: the course's own code is proven clean
 * (the solutions get zero errors), and file names or deep stacks are the
 * learner's to forge. Returns the number of errors told. */
static int explain_memory(const struct evidence *ev, const struct telling *telling, FILE *out)
{
    int count = 0;
    for (size_t i = 0; i < ev->report.n_errors; i++) {
        const struct vg_error *error = &ev->report.errors[i];
        if (!error_told(ev, error, telling))
            continue;
        if (++count > MAX_EXPLAINED)
            continue;
        char *words = explain_error(error, &ev->ctx);
        char heading[32];
        snprintf(heading, sizeof(heading), "\n%s %d:",
                 strcmp(error->kind, "UndefinedBehavior") == 0 ? "Error" : "Memory error",
                 count);
        put_block(out, heading, words ? words : error->what);
        free(words);
    }
    if (count > MAX_EXPLAINED) {
        int more = count - MAX_EXPLAINED;
        fprintf(out, "\n...and %d more memory error%s.", more, more == 1 ? "" : "s");
    }
    return count;
}

/* "FAILED:" and the crash explained once: what the signal means, where it
 * hit (unless a memory error told below hit there too), what to read. */
static void crash_print(const struct evidence *ev, int signal, FILE *out)
{
    bool with_where = true;
    for (size_t i = 0; with_where && i < ev->report.n_errors; i++) {
        const struct vg_error *error = &ev->report.errors[i];
        if (strncmp(error->kind, "Leak_", 5) != 0)
            with_where = !explain_same_place(&ev->report, error, &ev->ctx);
    }
    char *words = ev->has_report && ev->report.fatal_signal
                      ? explain_fatal_signal(&ev->report, &ev->ctx, with_where) : NULL;
    if (words)
        put_block(out, "\nFAILED:", words);
    else
        fprintf(out, "\nFAILED: the test crashed with %s.", explain_signal_words(signal));
    free(words);
}

/* A sanitized test that the sanitizer stopped (ASan's exit status, or
 * UBSan's exit 1): says which, when its report was read. */
static bool sanitizer_stop_print(const struct evidence *ev, FILE *out)
{
    if (!ev->has_report)
        return false;
    if (ev->report.fatal_signal) {
        crash_print(ev, ev->report.fatal_signal, out);
        return true;
    }
    const struct vg_error *first = ev->report.n_errors ? &ev->report.errors[0] : NULL;
    if (first == NULL || strncmp(first->kind, "Leak_", 5) == 0)
        return false;
    fprintf(out, "\nFAILED: %s stopped the test at the %s below.", first->tool,
            strcmp(first->kind, "UndefinedBehavior") == 0 ? "error" : "memory error");
    return true;
}

static void show_failures(const struct test_outcome *outcome, FILE *out)
{
    for (size_t i = 0; i < outcome->n_failures; i++) {
        const char *file = outcome->failures[i].file;
        const char *base = file ? strrchr(file, '/') : NULL;
        long long line = outcome->failures[i].line;
        const char *text = outcome->failures[i].text;
        if (base)
            file = base + 1;
        if (file && file[0] && line > 0)
            fprintf(out, "\n%s:%lld: %s", file, line, text ? text : "");
        else
            fprintf(out, "\n%s", text ? text : "");
    }
}

/* The functional half, as outcome_functional() decides it; writes why it
 * was lost, if it was. */
static enum functional_result judge_functional(const struct test_entry *entry,
                                               const struct test_outcome *outcome,
                                               const struct evidence *ev, bool fast,
                                               FILE *out)
{
    enum functional_result result = outcome_functional(outcome, entry->signal);
    switch (result) {
    case FUNCTIONAL_PASSED:
        break;
    case FUNCTIONAL_NOT_RUN: {
        const char *log = outcome->detail;
        fprintf(out, "\nFAILED: the test did not run: %s.%s%s",
                outcome->reason ? outcome->reason : "not run", log && log[0] ? "\n" : "",
                log ? log : "");
        break;
    }
    case FUNCTIONAL_BLOCKED:
        fprintf(out, "\nFAILED: blocked: the test waited, using no CPU, for %.1f s and "
                     "was stopped. Look for code waiting for something that never "
                     "comes (a lock taken twice, a read with no writer).", outcome->allowed);
        break;
    case FUNCTIONAL_TIMED_OUT:
        fprintf(out, "\nFAILED: timed out: the test used its CPU allowance of %.1f s "
                     "(time on the processor, not on the clock) and was stopped. "
                     "Look for a loop whose condition never changes.", outcome->allowed);
        break;
    case FUNCTIONAL_OVER_BUDGET:
        fprintf(out, "\nFAILED: the exercise's time budget (%.1f s of CPU) ran out while "
                     "this test ran (earlier tests were slow or timed out).", outcome->budget);
        break;
    case FUNCTIONAL_HARNESS_ERROR:
        fprintf(out, "\nNOT GRADED: the harness could not run this test (%s: %s); this is "
                     "not your code's fault.",
                outcome->reason ? outcome->reason : "no reason given",
                str_or_empty(outcome->detail));
        break;
    case FUNCTIONAL_HOST_BUSY:
        fputs("\nNOT GRADED: the machine was too busy to give this test the CPU it "
              "needed; this is not your code's fault. Grade again.", out);
        break;
    case FUNCTIONAL_RUNNER_DIED:
        fprintf(out, "\nFAILED: the process running the tests was killed while this test "
                     "ran (does the code signal or kill other processes?).");
        break;
    case FUNCTIONAL_ASSERTION:
        fputs("\nFAILED:", out);
        show_failures(outcome, out);
        break;
    case FUNCTIONAL_CRASHED:
        if (!(fast && sanitizer_stop_print(ev, out)))
            crash_print(ev, outcome->signal, out);
        break;
    case FUNCTIONAL_ENDED_EARLY: {
        int status = outcome->exit_status;
        if (!(fast && sanitizer_stop_print(ev, out)))
            fprintf(out, "\nFAILED: the test process ended (exit status %d) before the test "
                         "finished.%s", status,
                    fast && status == PROTO_ASAN_EXIT_CODE
                        ? " A sanitizer found an error: --verbose shows its report." : "");
        break;
    }
    case FUNCTIONAL_NO_SIGNAL:
        fprintf(out, "\nFAILED: the test expected %s, but it finished normally.",
                explain_signal_words(entry->signal));
        break;
    }
    return result;
}

/* The test's own output, without a sanitizer's report (told in plain words
 * above, and kept raw for --verbose): its last OUTPUT_TAIL_BYTES. */
static void output_tail_print(const char *log, FILE *out)
{
    if (log == NULL)
        return;
    const char *end = san_report_start(log);
    size_t len = end ? (size_t)(end - log) : strlen(log);
    while (len > 0 && (log[len - 1] == '\n' || log[len - 1] == ' '))
        len--;
    const char *start = log;
    if (len > OUTPUT_TAIL_BYTES) {
        start = log + len - OUTPUT_TAIL_BYTES;
        while (start < log + len && *start != '\n')
            start++;
        start += start < log + len;
        fputs("\nOutput of the test (its end):", out);
    } else if (len > 0) {
        fputs("\nOutput of the test:", out);
    }
    if (len > 0)
        fprintf(out, "\n%.*s", (int)(log + len - start), start);
}

/* Keeps the sanitizer's raw report in the verdict, for --verbose. */
static void raw_report_keep(json_t *verdict, const char *log)
{
    char *raw = log ? san_report_text(log, RAW_REPORT_LINES) : NULL;
    if (raw)
        json_object_set_new(verdict, "sanitizer_report", json_string(raw));
    free(raw);
}

void verdict_add_sanitizer(json_t *verdict, const struct verdict_input *in, size_t index,
                           const struct test_outcome *outcome, int expected_signal)
{
    if (!json_is_true(json_object_get(verdict, "functional")))
        return; /* no memory half to lose */
    if (outcome->host_busy)
        return; /* not judged: the grading reports the host's problem */
    struct evidence ev;
    evidence_load(&ev, in, index, outcome);
    int signal = outcome->signal;
    bool clean = (outcome->finished || (expected_signal != 0 && signal == expected_signal))
                 && !outcome->leak;
    if (clean && expected_signal != 0)
        clean = !(ev.log && san_report_start(ev.log));
    char *text = NULL;
    size_t size = 0;
    FILE *out = clean ? NULL : open_memstream(&text, &size);
    if (!out) {
        evidence_done(&ev);
        return;
    }
    const char *before = json_string_value(json_object_get(verdict, "output"));
    fprintf(out, "%s%sMemory: this lesson is also graded by AddressSanitizer and "
                 "UndefinedBehaviorSanitizer, which see what Valgrind cannot (overruns of "
                 "stack and global arrays, signed overflow); this test failed under them.",
            before ? before : "", before && before[0] ? "\n" : "");
    if (ev.has_report && ev.report.fatal_signal && ev.report.fatal_signal != expected_signal)
        crash_print(&ev, ev.report.fatal_signal, out);
    struct telling telling = { .skip_leaks = false };
    if (explain_memory(&ev, &telling, out) == 0 && !ev.report.fatal_signal
        && outcome->timed_out)
        fputs(" (The sanitized run used its whole CPU allowance.)", out);
    fclose(out);
    raw_report_keep(verdict, ev.log);
    evidence_done(&ev);
    double points = json_number_value(json_object_get(verdict, "max_score"));
    json_object_set_new(verdict, "score", json_real(points * VERDICT_FUNCTIONAL_SHARE));
    json_object_set_new(verdict, "status", json_string("failed"));
    json_object_set_new(verdict, "memory_errors",
                        json_integer(json_integer_value(json_object_get(verdict, "memory_errors"))
                                     + 1));
    json_object_set_new(verdict, "output", json_string(text));
    free(text);
}

/* The memory half under AddressSanitizer: LeakSanitizer's finding (the
 * harness's "leak" record) decides it; the report explains it. */
static int memory_fast(const struct evidence *ev, const struct test_outcome *outcome,
                       const struct telling *telling, FILE *out)
{
    int errors = outcome->leak ? 1 : 0;
    int told = explain_memory(ev, telling, out);
    if (errors && told == 0 && !telling->skip_leaks)
        fputs("\nMemory: LeakSanitizer found memory that was never freed.", out);
    return errors;
}

/* The memory half under Valgrind: every error of its report counts. */
static int memory_valgrind(const struct evidence *ev, const struct telling *telling,
                           bool died, FILE *out)
{
    if (!ev->has_report) {
        if (!died)
            fputs("\nMemory: no Valgrind report was found for this test, so its memory "
                  "half is not awarded.", out);
        return -1;
    }
    return explain_memory(ev, telling, out);
}

/* Where a test that the harness stopped (its allowance used, or blocked)
 * was: under AddressSanitizer from the harness's record of its stack, under
 * Valgrind from the report of the signal that stopped it (SIGXCPU). One
 * line, or nothing when no frame is the learner's or the test's. */
static void stopped_print(const struct evidence *ev, const struct test_outcome *outcome,
                          bool fast, FILE *out)
{
    const struct vg_stack *stack = NULL;
    if (fast)
        stack = &outcome->stack;
    else if (ev->has_report && ev->report.fatal_signal == SIGXCPU)
        stack = &ev->report.signal_stack;
    char *where = stack ? explain_stopped(stack, &ev->ctx) : NULL;
    if (where)
        fprintf(out, "\n%.*s", (int)strcspn(where, "\n"), where);
    free(where);
}

json_t *verdict_make(const struct verdict_input *in, const struct test_entry *entry,
                     size_t index, const struct test_outcome *outcome)
{
    json_t *verdict = verdict_base(entry);
    double points = (double)entry->points;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (!out)
        return verdict;
    struct evidence ev;
    evidence_load(&ev, in, index, outcome);

    enum functional_result result = judge_functional(entry, outcome, &ev, in->fast, out);
    bool functional = result == FUNCTIONAL_PASSED;
    if (outcome->timed_out)
        stopped_print(&ev, outcome, in->fast, out);
    int memory_errors = 0;
    if (result != FUNCTIONAL_NOT_RUN && result != FUNCTIONAL_RUNNER_DIED) {
        bool died = outcome->signal != 0 || !outcome->finished;
        /* A process that died mid-test never got to free its memory, and a
         * test whose assertions failed left its own blocks behind. */
        struct telling telling = { .skip_leaks = died || !functional,
                                   .learners_only = !died && failed_on_block_count(outcome) };
        memory_errors = in->fast ? memory_fast(&ev, outcome, &telling, out)
                                 : memory_valgrind(&ev, &telling, died, out);
    }
    int open_fds = outcome->open_fds;
    if (functional && open_fds > 0) {
        fprintf(out, "\nMemory: %d file descriptor%s left open when the test ended: "
                     "every open() or fopen() needs its close() or fclose() on every "
                     "path.", open_fds, open_fds == 1 ? " was" : "s were");
        memory_errors = (memory_errors > 0 ? memory_errors : 0) + open_fds;
    }
    double score = 0.0;
    if (functional) {
        score = points * VERDICT_FUNCTIONAL_SHARE;
        if (memory_errors == 0)
            score = points;
    }
    if (!functional || memory_errors != 0)
        output_tail_print(ev.log, out);
    raw_report_keep(verdict, ev.log);
    evidence_done(&ev);
    fclose(out);
    json_object_set_new(verdict, "score", json_real(score));
    json_object_set_new(verdict, "status", json_string(score == points ? "passed" : "failed"));
    json_object_set_new(verdict, "functional", json_boolean(functional));
    json_object_set_new(verdict, "seconds", json_real(outcome->seconds));
    /* The CPU the test's body used, against its allowance: `make test`
     * requires the solutions to leave a margin (course_protocol.h), so
     * that honest slower code passes. */
    double cpu = outcome->cpu;
    double body = outcome->body_cpu;
    double least = run_allowance(entry->timeout, in->fast);
    json_object_set_new(verdict, "cpu", json_real(cpu));
    json_object_set_new(verdict, "body_cpu", json_real(body));
    json_object_set_new(verdict, "cpu_margin_ok", json_boolean(body * PROTO_COST_CHECKED <= least));
    json_object_set_new(verdict, "memory_errors", json_integer(memory_errors < 0 ? 0 : memory_errors));
    json_object_set_new(verdict, "output", json_string(text[0] == '\n' ? text + 1 : text));
    free(text);
    return verdict;
}
