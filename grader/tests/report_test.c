/**
 * @file report_test.c
 * @brief Tests of the text report a learner reads: the summary table, the
 *        details of the first failing exercise only, one "next:" line,
 *        colour only when asked, compiler messages printed once.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

static char *text;       /* the report under test */
static json_t *results;  /* its input */

static void report_release(void)
{
    free(text);
    text = NULL;
    json_decref(results);
    results = NULL;
}

TestSuite(report, .fini = report_release);

/* One test verdict as exercise_grade_group() makes it. */
static json_t *verdict(const char *suite, const char *name, double score, double max,
                       const char *output)
{
    return json_pack("{s:s, s:s, s:s, s:f, s:f, s:s, s:s}", "suite", suite, "name", name,
                     "description", "what the test checks", "score", score, "max_score", max,
                     "status", score == max ? "passed" : "failed", "output", output);
}

/* Three exercises of one lesson: done, failing twice, failing once. */
static json_t *three_exercises(const char *build_log, const char *failure)
{
    json_t *done = json_pack("{s:s, s:s, s:n, s:n, s:[o]}", "lesson", "01-demo", "exercise",
                             "first", "build_log", "error", "tests",
                             verdict("first", "works", 2, 2, ""));
    json_t *failing = json_pack("{s:s, s:s, s:s?, s:n, s:[o, o, o]}", "lesson", "01-demo",
                                "exercise", "second", "build_log", build_log, "error",
                                "tests", verdict("second", "passes", 1, 1, ""),
                                verdict("second", "breaks", 0, 2, failure),
                                verdict("second", "breaks_too", 0.5, 1, failure));
    json_t *later = json_pack("{s:s, s:s, s:n, s:n, s:[o]}", "lesson", "02-more", "exercise",
                              "third", "build_log", "error", "tests",
                              verdict("third", "hidden", 0, 4, "THIRD'S FAILURE"));
    return json_pack("[o, o, o]", done, failing, later);
}

static void render(bool verbose, bool color)
{
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    cr_assert(out != NULL);
    struct report_style style = { .verbose = verbose, .color = color };
    report_text_styled(out, results, &style);
    fclose(out);
}

/* Whether the report contains @p needle. */
static int has(const char *needle)
{
    return strstr(text, needle) != 0;
}

static size_t count(const char *haystack, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(haystack, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

Test(report, table_lists_every_exercise_in_order_with_its_score)
{
    results = three_exercises(NULL, "SECOND'S FAILURE");
    render(false, false);
    const char *first = strstr(text, "  first "), *second = strstr(text, "  second "),
               *third = strstr(text, "  third ");
    cr_assert(first && second && third, "every exercise has a table line:\n%s", text);
    cr_assert(first < second && second < third, "lesson order:\n%s", text);
    cr_assert(has("1.5/4"), "second's score 1.5/4:\n%s", text);
    cr_assert(has("[####################]  done"), "a full bar for first:\n%s", text);
    cr_assert(has("2 of 3 tests fail"), "second's failures counted:\n%s", text);
    cr_assert(has("3.5/10"), "the total:\n%s", text);
}

Test(report, details_only_for_the_first_failing_exercise)
{
    results = three_exercises(NULL, "SECOND'S FAILURE");
    render(false, false);
    cr_assert(has("01-demo/second: 2 of 3 tests fail"), "%s", text);
    cr_assert(has("SECOND'S FAILURE"), "%s", text);
    cr_assert(not(has("THIRD'S FAILURE")), "only the first failing exercise:\n%s", text);
    cr_assert(has("1 more exercise fails"), "%s", text);
}

Test(report, verbose_details_every_exercise)
{
    results = three_exercises(NULL, "SECOND'S FAILURE");
    render(true, false);
    cr_assert(has("THIRD'S FAILURE"), "%s", text);
    cr_assert(has("01-demo/first: every test passes"), "%s", text);
}

Test(report, ends_with_one_next_line_naming_the_file)
{
    results = three_exercises(NULL, "SECOND'S FAILURE");
    render(false, false);
    cr_assert(eq(sz, count(text, "next:"), 1), "%s", text);
    const char *last = strstr(text, "\nnext: ");
    cr_assert(last && strchr(last + 1, '\n') == text + strlen(text) - 1,
              "the next: line is the last line:\n%s", text);
    cr_assert(has("next: fix second in exercises/01-demo/second.c, then `make check EXERCISE=second`"),
              "%s", last);
}

Test(report, all_passing_points_to_make_next)
{
    results = json_pack("[{s:s, s:s, s:n, s:n, s:[o]}]", "lesson", "01-demo", "exercise",
                        "first", "build_log", "error", "tests",
                        verdict("first", "works", 2, 2, ""));
    render(false, false);
    cr_assert(has("next: every exercise graded here passes in full"), "%s", text);
}

Test(report, colour_only_when_asked)
{
    results = three_exercises(NULL, "SECOND'S FAILURE");
    render(false, false);
    cr_assert(not(has("\033")), "no escape codes without colour:\n%s", text);
    free(text);
    text = NULL;
    render(false, true);
    cr_assert(has("\033[31mFAIL\033[0m"), "FAIL in red with colour:\n%s", text);
}

Test(report, no_color_wins)
{
    setenv("NO_COLOR", "1", 1);
    setenv("CLICOLOR_FORCE", "1", 1);
    cr_assert(not(report_color_wanted(stdout)));
    unsetenv("NO_COLOR");
    cr_assert(report_color_wanted(stdout), "CLICOLOR_FORCE forces colour");
    unsetenv("CLICOLOR_FORCE");
}

Test(report, compiler_messages_printed_once)
{
    const char *log = "second.c:3:5: error: expected ';'";
    char *failure = NULL;
    cr_assert(asprintf(&failure, "FAILED: second.c did not build.\n%s", log) > 0);
    results = three_exercises(log, failure);
    free(failure);
    render(false, false);
    cr_assert(eq(sz, count(text, "expected ';'"), 1), "the compiler's message once:\n%s", text);
    cr_assert(has("the compiler says:"), "%s", text);
}

/* Reads results.json as report_gradescope() wrote it for @p exercises. */
static json_t *gradescope_of(json_t *exercises)
{
    char path[] = "/tmp/report-test-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0, "cannot make a temporary file");
    close(fd);
    cr_assert(eq(int, report_gradescope(path, exercises, NULL, 1.0), 0));
    json_error_t error;
    json_t *doc = json_load_file(path, 0, &error);
    unlink(path);
    cr_assert(doc != NULL, "results.json is not JSON: %s", error.text);
    return doc;
}

Test(report, gradescope_keeps_each_tests_visibility_and_shows_only_visible_totals)
{
    results = three_exercises(NULL, "boom");
    json_t *third = json_array_get(json_object_get(json_array_get(results, 2), "tests"), 0);
    json_object_set_new(third, "visibility", json_string("after_due_date"));
    json_t *doc = gradescope_of(results);
    json_t *tests = json_object_get(doc, "tests");
    const char *visible = json_string_value(json_object_get(json_array_get(tests, 0),
                                                            "visibility"));
    const char *later = json_string_value(json_object_get(json_array_get(tests, 4),
                                                          "visibility"));
    const char *summary = json_string_value(json_object_get(doc, "output"));
    cr_expect(visible && strcmp(visible, "visible") == 0,
              "a test without a visibility must be reported as visible");
    cr_expect(later && strcmp(later, "after_due_date") == 0,
              "a test's own visibility must reach results.json");
    cr_expect(summary && strstr(summary, "3.5/6 points"),
              "the learner's summary must count only visible tests: %s", summary);
    cr_expect(summary && strstr(summary, "1 more test counts towards your grade"),
              "the summary must say that a test is not shown: %s", summary);
    cr_expect(eq(dbl, json_real_value(json_object_get(doc, "max_score")), 10.0),
              "the grade itself counts every test");
    json_decref(doc);
}

Test(report, gradescope_summary_never_quotes_a_grader_error)
{
    results = three_exercises(NULL, "boom");
    json_object_set_new(json_array_get(results, 1), "error",
                        json_string("the course's file /secret/02-heap/x_test.c did not compile"));
    json_t *doc = gradescope_of(results);
    const char *summary = json_string_value(json_object_get(doc, "output"));
    cr_expect(summary && !strstr(summary, "/secret/"),
              "a grader error may name a hidden test file: %s", summary);
    cr_expect(summary && strstr(summary, "01-demo/second: the grader failed"),
              "the summary must still say which exercise failed to grade: %s", summary);
    json_decref(doc);
}

/* Writes @p exercises with @p write (report_gradescope-like: path,
 * exercises, error) and loads it back. */
static json_t *written(int (*write)(const char *, json_t *, const char *), json_t *exercises,
                       const char *error)
{
    char path[] = "/tmp/report-test-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0, "cannot make a temporary file");
    close(fd);
    cr_assert(eq(int, write(path, exercises, error), 0));
    json_error_t parse_error;
    json_t *doc = json_load_file(path, 0, &parse_error);
    unlink(path);
    cr_assert(doc != NULL, "not JSON: %s", parse_error.text);
    return doc;
}

static int gradescope_now(const char *path, json_t *exercises, const char *error)
{
    return report_gradescope(path, exercises, error, 1.0);
}

Test(report, gradescope_never_quotes_a_whole_run_error)
{
    results = json_array();
    json_t *doc = written(gradescope_now, results,
                          "the hidden tests' folder /secret/overlay has vectr_test.c, which "
                          "belongs to no exercise");
    const char *summary = json_string_value(json_object_get(doc, "output"));
    cr_expect(summary && !strstr(summary, "/secret") && !strstr(summary, "vectr_test"),
              "a whole-run error may name the hidden tests: %s", summary);
    cr_expect(summary && strstr(summary, "could not grade this submission"), "%s", summary);
    json_decref(doc);
}

Test(report, notes_give_the_reason_for_a_zero)
{
    results = three_exercises("01-demo/second.c was refused: it calls 'system', which this "
                              "lesson does not allow (see the lesson).", "boom");
    json_t *second = json_array_get(results, 1);
    json_t *test;
    size_t i;
    json_array_foreach(json_object_get(second, "tests"), i, test) {
        json_object_set_new(test, "output", json_string("FAILED: second.c did not build, so "
                                                        "none of its tests ran."));
        json_object_set_new(test, "score", json_real(0));
        json_object_set_new(test, "status", json_string("failed"));
    }
    json_object_set_new(json_array_get(results, 2), "discovery", json_string("missing"));
    json_t *notes = report_notes(results, false);
    char *all = json_dumps(notes, 0);
    cr_expect(all && strstr(all, "missing from the submission: 02-more/third.c"), "%s", all);
    cr_expect(all && strstr(all, "01-demo/second.c was refused: it calls 'system', which this "
                                 "lesson does not allow\""), "%s", all);
    free(all);
    json_decref(notes);
}

Test(report, prairielearn_scores_from_0_to_1_and_never_names_hidden_tests)
{
    results = three_exercises(NULL, "boom");
    json_t *third = json_array_get(json_object_get(json_array_get(results, 2), "tests"), 0);
    json_object_set_new(third, "visibility", json_string("hidden"));
    json_t *doc = written(report_prairielearn, results, NULL);
    double score = json_number_value(json_object_get(doc, "score"));
    bool gradable = json_is_true(json_object_get(doc, "gradable"));
    cr_expect(gradable, "a submission with its files is gradable");
    cr_expect(eq(dbl, score, 3.5 / 10.0), "score is a share of every point: %g", score);
    char *text = json_dumps(doc, 0);
    cr_expect(text && !strstr(text, "THIRD'S FAILURE") && !strstr(text, "02-more/third/hidden"),
              "a hidden test is never named nor quoted: %s", text);
    cr_expect(text && strstr(text, "\"hidden tests\""), "%s", text);
    free(text);
    json_decref(doc);
    doc = written(report_prairielearn, results, "/secret/overlay is broken");
    text = json_dumps(doc, 0);
    gradable = !json_is_false(json_object_get(doc, "gradable"));
    cr_expect(not(gradable), "%s", text);
    cr_expect(text && !strstr(text, "/secret"), "%s", text);
    free(text);
    json_decref(doc);
}
