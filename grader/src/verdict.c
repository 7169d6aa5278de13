/**
 * @file verdict.c
 * @brief From a test's outcome and Valgrind report to points and words.
 */
#define _GNU_SOURCE
#include "verdict.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "course_protocol.h"
#include "run.h"
#include "util.h"
#include "vgreport.h"

/** At most this many memory errors are explained per test. */
#define MAX_EXPLAINED 5
/** Tail of the test's own output shown with a failure. */
#define OUTPUT_TAIL_BYTES 1500

const char *verdict_signal_words(int signal)
{
    switch (signal) {
    case SIGSEGV:
        return "a segmentation fault (SIGSEGV): the code touched memory it does not "
               "own, such as a NULL, freed or wild pointer, or it ran out of stack";
    case SIGABRT:
        return "an abort (SIGABRT): abort() was called, by a failed assert() or by "
               "the C library finding the heap corrupted (a double free, a write past "
               "a block)";
    case SIGFPE:
        return "an arithmetic error (SIGFPE), such as an integer division by zero";
    case SIGBUS:
        return "a bus error (SIGBUS): an access to memory that cannot exist, such as "
               "a misaligned or truncated mapping";
    case SIGILL:
        return "an illegal instruction (SIGILL), often undefined behaviour that the "
               "compiler turned into a trap";
    case SIGXFSZ:
        return "too much output (SIGXFSZ): the test wrote more than the 64 MiB a "
               "test may write";
    case SIGKILL:
        return "being killed (SIGKILL), usually for using too much memory or time";
    case SIGPIPE:
        return "a broken pipe (SIGPIPE)";
    default:
        return "a signal";
    }
}

static json_t *verdict_base(json_t *entry)
{
    const char *suite = json_string_value(json_object_get(entry, "suite"));
    const char *name = json_string_value(json_object_get(entry, "name"));
    json_int_t points = json_integer_value(json_object_get(entry, "points"));
    const char *visibility = json_string_value(json_object_get(entry, "visibility"));
    return json_pack("{s:s, s:s, s:s?, s:I, s:f, s:I, s:s}", "suite", suite, "name", name,
                     "description", json_string_value(json_object_get(entry, "description")),
                     "points", points, "score", 0.0, "max_score", points, "visibility",
                     visibility ? visibility : "visible");
}

json_t *verdict_unbuilt(json_t *entry, const char *why)
{
    json_t *verdict = verdict_base(entry);
    json_object_set_new(verdict, "status", json_string("failed"));
    json_object_set_new(verdict, "functional", json_false());
    json_object_set_new(verdict, "memory_errors", json_integer(0));
    json_object_set_new(verdict, "output", json_string(why));
    return verdict;
}

static void put_block(FILE *out, const char *heading, const char *words);

/* Appends the learner's memory errors from the test's Valgrind report, and
 * where a crash hit. Returns the number of errors, or -1 when the report is
 * missing or unreadable. */
static int explain_memory(const struct verdict_input *in, json_t *outcome,
                          bool skip_leaks, int expected_signal, FILE *out)
{
    int pid = (int)json_integer_value(json_object_get(outcome, "pid"));
    char *path = str_printf("%s/" PROTO_RUN_XML "/" PROTO_XML_NAME, in->run_dir, pid);
    struct vg_report report = { 0 };
    int err = path ? vg_report_load(path, &report) : -1;
    free(path);
    if (err != 0)
        return -1;
    const char *learner[] = { in->learner_file, NULL };
    const char *tests[] = { in->test_file, NULL };
    int count = 0;
    for (size_t i = 0; i < report.n_errors; i++) {
        const struct vg_error *error = &report.errors[i];
        /* A process that died mid-test never got to free its memory, and a
         * test whose assertions failed left its own blocks behind. */
        if (skip_leaks && strncmp(error->kind, "Leak_", 5) == 0)
            continue;
        /* Every other error counts, wherever its frames are: the course's
         * own code is proven clean (the solutions get zero errors), and file
         * names or deep stacks are the learner's to forge. */
        if (strcmp(error->kind, "Leak_StillReachable") == 0)
            continue;
        if (++count > MAX_EXPLAINED)
            continue;
        char *words = explain_error(error, learner, tests);
        char heading[32];
        snprintf(heading, sizeof(heading), "Memory error %d:", count);
        put_block(out, heading, words ? words : error->what);
        free(words);
    }
    if (count > MAX_EXPLAINED)
        fprintf(out, "\n...and %d more memory errors.", count - MAX_EXPLAINED);
    if (report.fatal_signal != 0 && report.fatal_signal != expected_signal) {
        char *words = explain_fatal_signal(&report, learner, tests);
        if (words)
            put_block(out, "The crash:", words);
        free(words);
    }
    vg_report_done(&report);
    return count;
}

/* Writes an explanation block under a heading, without trailing newlines. */
static void put_block(FILE *out, const char *heading, const char *words)
{
    size_t len = strlen(words);
    while (len > 0 && words[len - 1] == '\n')
        len--;
    fprintf(out, "\n%s\n%.*s", heading, (int)len, words);
}

static void show_failures(json_t *failures, FILE *out)
{
    size_t i;
    json_t *failure;
    json_array_foreach(failures, i, failure) {
        const char *file = json_string_value(json_object_get(failure, "file"));
        const char *base = file ? strrchr(file, '/') : NULL;
        json_int_t line = json_integer_value(json_object_get(failure, "line"));
        const char *text = json_string_value(json_object_get(failure, "failure"));
        if (base)
            file = base + 1;
        if (file && file[0] && line > 0)
            fprintf(out, "\n%s:%lld: %s", file, (long long)line, text ? text : "");
        else
            fprintf(out, "\n%s", text ? text : "");
    }
}

/* Decides the functional half; writes why it failed, if it did. */
static bool judge_functional(json_t *entry, json_t *outcome, bool fast, FILE *out)
{
    int expected = (int)json_integer_value(json_object_get(entry, "signal"));
    int signal = (int)json_integer_value(json_object_get(outcome, "signal"));
    bool finished = json_is_true(json_object_get(outcome, "finished"));
    json_t *failures = json_object_get(outcome, "failures");
    const char *not_run = json_string_value(json_object_get(outcome, "not_run"));

    if (not_run) {
        const char *log = json_string_value(json_object_get(outcome, "log"));
        fprintf(out, "\nFAILED: the test did not run: %s.%s%s", not_run,
                log && log[0] ? "\n" : "", log ? log : "");
        return false;
    }
    if (json_is_true(json_object_get(outcome, "timed_out"))) {
        double allowed = json_real_value(json_object_get(outcome, "allowed"));
        if (json_is_true(json_object_get(outcome, "blocked")))
            fprintf(out, "\nFAILED: blocked: the test waited, using no CPU, for %.1f s and "
                         "was stopped. Look for code waiting for something that never "
                         "comes (a lock taken twice, a read with no writer).", allowed);
        else
            fprintf(out, "\nFAILED: timed out: the test used %.1f s of CPU and was stopped. "
                         "Look for a loop whose condition never changes.", allowed);
        return false;
    }
    if (json_is_true(json_object_get(outcome, "over_budget"))) {
        fprintf(out, "\nFAILED: the exercise's time budget (%.1f s of CPU) ran out while "
                     "this test ran (earlier tests were slow or timed out).",
                json_real_value(json_object_get(outcome, "budget")));
        return false;
    }
    const char *harness_error = json_string_value(json_object_get(outcome, "reason"));
    if (harness_error) {
        fprintf(out, "\nNOT GRADED: the harness could not run this test (%s: %s); this is "
                     "not your code's fault.", harness_error,
                str_or_empty(json_string_value(json_object_get(outcome, "errno"))));
        return false;
    }
    if (json_is_true(json_object_get(outcome, "host_busy"))) {
        fputs("\nNOT GRADED: the machine was too busy to give this test the CPU it "
              "needed; this is not your code's fault. Grade again.", out);
        return false;
    }
    if (json_is_true(json_object_get(outcome, "runner_died"))) {
        fprintf(out, "\nFAILED: the process running the tests was killed while this test "
                     "ran (does the code signal or kill other processes?).");
        return false;
    }
    if (json_array_size(failures) > 0) {
        fputs("\nFAILED:", out);
        show_failures(failures, out);
        return false;
    }
    if (signal != 0 && signal == expected)
        return true;
    if (signal != 0) {
        fprintf(out, "\nFAILED: the test crashed with %s.", verdict_signal_words(signal));
        if (signal == SIGABRT && fast)
            fputs(" The sanitizers' report is in the output below.", out);
        return false;
    }
    if (!finished) {
        int status = (int)json_integer_value(json_object_get(outcome, "exit_status"));
        fprintf(out, "\nFAILED: the test process ended (exit status %d) before the test "
                     "finished.%s", status,
                fast && status == PROTO_ASAN_EXIT_CODE ? " A sanitizer found an error: its report is in "
                                       "the output below." : "");
        return false;
    }
    if (expected != 0) {
        fprintf(out, "\nFAILED: the test expected %s, but it finished normally.",
                verdict_signal_words(expected));
        return false;
    }
    return true;
}

/** How much of a test's output is searched for a sanitizer report. */
#define SANITIZER_LOG_BYTES (256 * 1024)
/** Lines of a sanitizer report shown: its head names the error, the access
 *  and the learner's frame. */
#define SANITIZER_HEAD_LINES 24

/* Writes the head of the AddressSanitizer, LeakSanitizer or
 * UndefinedBehaviorSanitizer report in the test's output, named after the
 * sanitizer that wrote it, without the "==PID==" prefixes; returns false
 * when there is none. */
static bool sanitizer_head(const char *run_dir, size_t index, FILE *out)
{
    char *path = str_printf("%s/" PROTO_RUN_LOGS "/" PROTO_LOG_NAME, run_dir, index);
    char *log = path ? file_read_tail(path, SANITIZER_LOG_BYTES) : NULL;
    free(path);
    static const struct { const char *mark, *name; } reports[] = {
        { "ERROR: AddressSanitizer", "AddressSanitizer" },
        { "ERROR: LeakSanitizer", "LeakSanitizer" },
        { "runtime error:", "UndefinedBehaviorSanitizer" },
    };
    const char *start = NULL, *name = NULL;
    for (size_t r = 0; log && !start && r < sizeof(reports) / sizeof(*reports); r++)
        start = strstr(log, reports[r].mark), name = reports[r].name;
    if (!start) {
        free(log);
        return false;
    }
    while (start > log && start[-1] != '\n')
        start--;
    fprintf(out, "\n%s's report (its first lines):", name);
    const char *line = start;
    for (int n = 0; n < SANITIZER_HEAD_LINES && *line; n++) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        const char *text = line;
        if (text[0] == '=' && text[1] == '=') {
            const char *after = strstr(text + 2, "==");
            if (after && after < text + len) {
                len -= (size_t)(after + 2 - text);
                text = after + 2;
            }
        }
        fprintf(out, "\n  %.*s", (int)len, text);
        line = end ? end + 1 : line + len;
    }
    free(log);
    return true;
}

void verdict_add_sanitizer(json_t *verdict, const char *run_dir, size_t index,
                           json_t *outcome, int expected_signal)
{
    if (!json_is_true(json_object_get(verdict, "functional")))
        return; /* no memory half to lose */
    if (json_is_true(json_object_get(outcome, "host_busy")))
        return; /* not judged: the grading reports the host's problem */
    int signal = (int)json_integer_value(json_object_get(outcome, "signal"));
    bool clean = (json_is_true(json_object_get(outcome, "finished"))
                  || (expected_signal != 0 && signal == expected_signal))
                 && !json_is_true(json_object_get(outcome, "leak"));
    if (clean && expected_signal != 0) {
        FILE *sink = fopen("/dev/null", "w");
        clean = !sink || !sanitizer_head(run_dir, index, sink);
        if (sink)
            fclose(sink);
    }
    if (clean)
        return;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (!out)
        return;
    const char *before = json_string_value(json_object_get(verdict, "output"));
    fprintf(out, "%s%sMemory: this lesson is also graded by AddressSanitizer and "
                 "UndefinedBehaviorSanitizer, which see overruns of stack and global arrays "
                 "that Valgrind cannot, and undefined behaviour such as signed overflow; "
                 "this test failed under them.", before ? before : "",
            before && before[0] ? "\n" : "");
    if (!sanitizer_head(run_dir, index, out) && json_is_true(json_object_get(outcome, "timed_out")))
        fputs(" (The sanitized run used its whole CPU allowance.)", out);
    fclose(out);
    double points = json_number_value(json_object_get(verdict, "max_score"));
    json_object_set_new(verdict, "score", json_real(points * VERDICT_FUNCTIONAL_SHARE));
    json_object_set_new(verdict, "status", json_string("failed"));
    json_object_set_new(verdict, "memory_errors",
                        json_integer(json_integer_value(json_object_get(verdict, "memory_errors"))
                                     + 1));
    json_object_set_new(verdict, "output", json_string(text));
    free(text);
}

json_t *verdict_make(const struct verdict_input *in, json_t *entry, size_t index,
                     json_t *outcome)
{
    json_t *verdict = verdict_base(entry);
    double points = (double)json_integer_value(json_object_get(entry, "points"));
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (!out)
        return verdict;

    bool functional = judge_functional(entry, outcome, in->fast, out);
    int memory_errors = 0;
    if (!json_object_get(outcome, "not_run") && !json_is_true(json_object_get(outcome, "runner_died"))) {
        bool died = json_integer_value(json_object_get(outcome, "signal")) != 0
                    || !json_is_true(json_object_get(outcome, "finished"));
        if (in->fast) {
            memory_errors = json_is_true(json_object_get(outcome, "leak")) ? 1 : 0;
            if (memory_errors)
                fputs("\nMemory: LeakSanitizer found memory that was never freed.", out);
            if (memory_errors || died)
                sanitizer_head(in->run_dir, index, out);
        } else {
            int expected = (int)json_integer_value(json_object_get(entry, "signal"));
            memory_errors = explain_memory(in, outcome, died || !functional, expected, out);
            if (memory_errors < 0 && !died) {
                fputs("\nMemory: no Valgrind report was found for this test, so its "
                      "memory half is not awarded.", out);
            }
        }
    }
    int open_fds = (int)json_integer_value(json_object_get(outcome, "open_fds"));
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
    if (!functional || memory_errors != 0) {
        char *log_path = str_printf("%s/" PROTO_RUN_LOGS "/" PROTO_LOG_NAME, in->run_dir, index);
        char *log = log_path ? file_read_tail(log_path, OUTPUT_TAIL_BYTES) : NULL;
        if (log && log[0])
            fprintf(out, "\nOutput of the test:\n%s", log);
        free(log), free(log_path);
    }
    fclose(out);
    json_object_set_new(verdict, "score", json_real(score));
    json_object_set_new(verdict, "status", json_string(score == points ? "passed" : "failed"));
    json_object_set_new(verdict, "functional", json_boolean(functional));
    json_object_set_new(verdict, "seconds",
                        json_real(json_number_value(json_object_get(outcome, "seconds"))));
    /* The CPU the test's body used, against its allowance: `make test`
     * requires the solutions to leave a margin (course_protocol.h), so
     * that honest slower code passes. */
    double cpu = json_number_value(json_object_get(outcome, "cpu"));
    double body = json_number_value(json_object_get(outcome, "body_cpu"));
    double least = run_allowance(json_number_value(json_object_get(entry, "timeout")), in->fast);
    json_object_set_new(verdict, "cpu", json_real(cpu));
    json_object_set_new(verdict, "body_cpu", json_real(body));
    json_object_set_new(verdict, "cpu_margin_ok", json_boolean(body * PROTO_COST_CHECKED <= least));
    json_object_set_new(verdict, "memory_errors", json_integer(memory_errors < 0 ? 0 : memory_errors));
    json_object_set_new(verdict, "output", json_string(text[0] == '\n' ? text + 1 : text));
    free(text);
    return verdict;
}
