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

/** Adds up @p exercises. */
struct report_totals report_sum(json_t *exercises);

/** Writes the human summary: per test, per exercise, per lesson, total. */
void report_text(FILE *out, json_t *exercises, bool verbose);

/**
 * Writes Gradescope's results.json to @p path.
 * @param[in] error  an infrastructure error that stopped grading, or NULL.
 * @return 0 or a negative errno.
 */
int report_gradescope(const char *path, json_t *exercises, const char *error,
                      double seconds);

/** Writes a JUnit XML report (one testsuite per exercise) to @p path. */
int report_junit(const char *path, json_t *exercises, const char *error);

/** Writes a TAP version 13 report to @p path. */
int report_tap(const char *path, json_t *exercises, const char *error);

#endif /* GRADER_REPORT_H */
