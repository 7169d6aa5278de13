/**
 * @file report.h
 * @brief The same verdicts for people (text), Gradescope (JSON), and CI
 *        systems (JUnit XML, TAP).
 *
 * Input is the array of exercise results from exercise_grade_group(), plus an
 * optional infrastructure error that stopped grading as a whole.
 */
#ifndef GRADER_REPORT_H
#define GRADER_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/** Totals over a set of exercise results. */
struct report_totals {
    double score;      /**< Points earned. */
    double max_score;  /**< Points available. */
    size_t tests;      /**< Tests graded. */
    size_t passed;     /**< Tests with full points. */
    size_t errors;     /**< Exercises whose grading itself failed. */
};

/**
 * @brief Adds up @p exercises.
 * @param[in] exercises array of exercise results (exercise.h); borrowed.
 * @return the totals, by value; all zero for an empty array.
 */
struct report_totals report_sum(json_t *exercises);

/** How report_text_styled() prints. */
struct report_style {
    bool verbose;           /**< Details of every exercise and every test, not
                                 only of the first failing exercise. */
    bool color;             /**< ANSI colours (see report_color_wanted()). */
    const char *submission; /**< The submission directory as the learner
                                 names it, for the "next:" line; NULL means
                                 "exercises". Borrowed. An exercise result's
                                 own "file" (below) wins over it. */
    bool hosted;            /**< Read on a platform (Gradescope, PrairieLearn,
                                 CI), not in the learner's checkout: no `make`
                                 command is suggested. */
};

/**
 * @brief The reasons an exercise scored less than it could as a whole, one
 *        sentence each, for the gradebook and the learner.
 *
 * Read from the exercise results (exercise.h) and these optional members,
 * which grader/grade adds: "file", the exercise's file as the learner
 * submitted it; "discovery", why no file was taken ("missing", "misnamed",
 * "ambiguous", "refused", with the learner's sentence in "build_log"); and,
 * on the first result, "submission_note" when no exercise file was found at
 * all. In order: no file found at all; files missing (one note for all of
 * them); misnamed, ambiguous and refused files (the discovery's sentence,
 * with its "did you mean"); files that did not build or were refused by the
 * checks (with the first error); exercises with tests that timed out;
 * exercises the grader failed on; exercises where no test passes (when no
 * other note explains why). A note never quotes a grader error, which can
 * name an instructor's hidden test file.
 *
 * @param[in] exercises     array of exercise results; borrowed.
 * @param[in] visible_only  count only the tests whose visibility is
 *                          "visible" (for what learners see at once).
 * @return a new array of strings, owned by the caller; empty when nothing
 *         needs explaining; NULL when out of memory.
 */
json_t *report_notes(json_t *exercises, bool visible_only);

/**
 * @brief Tells whether text for @p out should be coloured: never when
 *        `NO_COLOR` is set and not empty; always when `CLICOLOR_FORCE` is set
 *        and not "0" (for a caller that pipes the report to a terminal);
 *        otherwise when @p out is a terminal and `TERM` is not "dumb".
 * @param[in] out the stream the text goes to; borrowed.
 * @return true to colour.
 */
bool report_color_wanted(FILE *out);

/**
 * @brief Writes the text report for a person.
 *
 * Three parts, in this order: a summary table in lesson and exercise order
 * (exercise, score, a bar, how many tests fail), then the details of the
 * first failing exercise only (its compiler messages once, each test, each
 * failure explained; every exercise with @c verbose), then one line that
 * starts with "next:" and says what to do now.
 *
 * @param[out] out       the stream to print to, e.g. stdout; borrowed, left
 *                       open.
 * @param[in]  exercises array of exercise results (exercise.h), in lesson order;
 *                       borrowed.
 * @param[in]  style     how to print; borrowed.
 */
void report_text_styled(FILE *out, json_t *exercises, const struct report_style *style);

/**
 * @brief Shows grading progress. On a terminal, one line redrawn in place
 *        (a bar, exercises done of all, the last one's score); elsewhere one
 *        plain line per finished exercise, and nothing for @p done = 0.
 * @param[out] out    the stream, usually stderr; borrowed.
 * @param[in]  done   exercises finished so far.
 * @param[in]  total  exercises to grade.
 * @param[in]  result the exercise result (exercise.h) just finished, or NULL
 *                    before the first; borrowed.
 */
void report_progress(FILE *out, size_t done, size_t total, json_t *result);

/**
 * @brief Erases the progress line on a terminal, before the report is
 *        printed; does nothing elsewhere.
 * @param[out] out the stream report_progress() wrote to; borrowed.
 */
void report_progress_end(FILE *out);

/**
 * @brief Writes Gradescope's results.json to @p path.
 * @param[in] path       file to create or replace; borrowed.
 * @param[in] exercises  array of exercise results (exercise.h); borrowed.
 * @param[in] error      an infrastructure error that stopped grading, or
 *                       NULL; borrowed. When set, the score is 0 and
 *                       "output" says that grading failed without quoting
 *                       @p error, which may name a hidden test file (the
 *                       grader prints it on stderr, for the instructor).
 * @param[in] seconds    how long grading took, for "execution_time".
 * @return 0 or a negative errno (-ENOMEM, -EIO).
 */
int report_gradescope(const char *path, json_t *exercises, const char *error,
                      double seconds);

/**
 * @brief Writes PrairieLearn's external grader results.json to @p path.
 *
 * The format of PrairieLearn's "External Grading" documentation, "Grading
 * results": `gradable`, `score` from 0 to 1, `message`, `output`, and
 * `tests[]` each with `name`, `description`, `points`, `max_points`,
 * `message` and `output`. Tests whose visibility is not "visible" (an
 * instructor's hidden tests) count in the score but are shown as one entry
 * without names or output. When grading failed (@p error, or the grader
 * failed on an exercise) or no exercise file was found at all, the
 * submission is not gradable (the learner loses no attempt) and
 * `format_errors` says why, never quoting a grader error.
 *
 * @param[in] path       file to create or replace; borrowed.
 * @param[in] exercises  array of exercise results (exercise.h); borrowed.
 * @param[in] error      an infrastructure error that stopped grading, or
 *                       NULL; borrowed.
 * @return 0 or a negative errno (-ENOMEM, -EIO).
 */
int report_prairielearn(const char *path, json_t *exercises, const char *error);

/**
 * @brief Writes a JUnit XML report (one testsuite per exercise) to @p path.
 * @param[in] path       file to create or replace; borrowed.
 * @param[in] exercises  array of exercise results (exercise.h); borrowed.
 * @param[in] error      an infrastructure error that stopped grading, or
 *                       NULL; borrowed. When set, it is reported as an
 *                       extra "grader" testsuite with one error.
 * @return 0 or -EIO.
 */
int report_junit(const char *path, json_t *exercises, const char *error);

/**
 * @brief Writes a TAP version 13 report to @p path.
 * @param[in] path       file to create or replace; borrowed.
 * @param[in] exercises  array of exercise results (exercise.h); borrowed.
 * @param[in] error      an infrastructure error that stopped grading, or
 *                       NULL; borrowed. When set, the report is a plan of
 *                       zero tests and a "Bail out!" line.
 * @return 0 or a negative errno.
 */
int report_tap(const char *path, json_t *exercises, const char *error);

#endif /* GRADER_REPORT_H */
