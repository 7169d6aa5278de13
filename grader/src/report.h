/**
 * @file report.h
 * @brief The same verdicts for people (text), Gradescope (JSON), and CI
 *        systems (JUnit XML, TAP).
 *
 * Input is the array of exercise results from exercise_grade(), plus an
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
 * @param[in] exercises array of exercise_grade() results; borrowed.
 * @return the totals, by value; all zero for an empty array.
 */
struct report_totals report_sum(json_t *exercises);

/**
 * @brief Writes the human summary: per test, per exercise, per lesson, total.
 * @param[out] out       the stream to print to, e.g. stdout; borrowed, left
 *                       open.
 * @param[in]  exercises array of exercise_grade() results, in lesson order;
 *                       borrowed.
 * @param[in]  verbose   also explain the tests that passed (failed tests are
 *                       always explained).
 */
void report_text(FILE *out, json_t *exercises, bool verbose);

/**
 * @brief Writes Gradescope's results.json to @p path.
 * @param[in] path       file to create or replace; borrowed.
 * @param[in] exercises  array of exercise_grade() results; borrowed.
 * @param[in] error      an infrastructure error that stopped grading, or
 *                       NULL; borrowed. When set, the score is 0 and the
 *                       message is in "output".
 * @param[in] seconds    how long grading took, for "execution_time".
 * @return 0 or a negative errno (-ENOMEM, -EIO).
 */
int report_gradescope(const char *path, json_t *exercises, const char *error,
                      double seconds);

/**
 * @brief Writes a JUnit XML report (one testsuite per exercise) to @p path.
 * @param[in] path       file to create or replace; borrowed.
 * @param[in] exercises  array of exercise_grade() results; borrowed.
 * @param[in] error      an infrastructure error that stopped grading, or
 *                       NULL; borrowed. When set, it is reported as an
 *                       extra "grader" testsuite with one error.
 * @return 0 or -EIO.
 */
int report_junit(const char *path, json_t *exercises, const char *error);

/**
 * @brief Writes a TAP version 13 report to @p path.
 * @param[in] path       file to create or replace; borrowed.
 * @param[in] exercises  array of exercise_grade() results; borrowed.
 * @param[in] error      an infrastructure error that stopped grading, or
 *                       NULL; borrowed. When set, the report is a plan of
 *                       zero tests and a "Bail out!" line.
 * @return 0 or a negative errno.
 */
int report_tap(const char *path, json_t *exercises, const char *error);

#endif /* GRADER_REPORT_H */
