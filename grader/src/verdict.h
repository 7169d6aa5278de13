/**
 * @file verdict.h
 * @brief A test's score and its explanation, from what the run produced.
 *
 * Scoring: half of a test's points are functional (the test reached its end
 * with no failed assertion, or died by the signal it expects); the other half
 * are for memory (no memory error of the learner's in that test's process).
 * The memory half is only earned together with the functional half, so code
 * that does nothing never scores. A crash or a timeout earns nothing.
 */
#ifndef GRADER_VERDICT_H
#define GRADER_VERDICT_H

#include <jansson.h>
#include <stdbool.h>

#include "catalogue.h"
#include "run.h"

/** Share of a test's points that its assertions earn. */
#define VERDICT_FUNCTIONAL_SHARE 0.5

struct course;

/** What a verdict needs besides the test itself. */
struct verdict_input {
    const char *run_dir;        /**< Where xml/ and logs/ are. */
    const char *learner_file;   /**< Base name of the learner's file, e.g. "vector.c". */
    const char *learner_path;   /**< The learner's file as messages name it, e.g.
                                     "02-heap/vector.c"; NULL: its base name. */
    const char *test_file;      /**< Base name of the test file, e.g. "vector_test.c". */
    bool fast;                  /**< ASan mode: no Valgrind reports. */
    const struct course *course; /**< The lessons that explanations cite; NULL: none. */
};

/**
 * @brief Scores one test.
 * @param[in]     in       the run's context; borrowed.
 * @param[in]     entry    the test's catalogue entry (`--list` output); borrowed.
 * @param[in]     index    its index in the catalogue, which names its output
 *                         log (logs/INDEX.log).
 * @param[in]     outcome  its run_tests() result; borrowed.
 * @return a new object owned by the caller (release it with json_decref()): name, description, points, score, max_score,
 *         status ("passed" only with full points), functional (bool),
 *         memory_errors (count), output (the explanation), and
 *         sanitizer_report when a sanitizer wrote one (its raw text, for
 *         --verbose: the explanation already tells it in plain words).
 */
json_t *verdict_make(const struct verdict_input *in, const struct test_entry *entry,
                     size_t index, const struct test_outcome *outcome);

/**
 * @brief The verdict of a test that could not run because the learner's file
 *        did not build: zero points and @p why as its explanation.
 * @param[in] entry the test's catalogue entry (`--list` output); borrowed.
 * @param[in] why   the explanation, usually the compiler's messages; borrowed
 *                  (copied into the verdict).
 * @return a new object owned by the caller (release it with json_decref()),
 *         with the same members as verdict_make() gives.
 */
json_t *verdict_unbuilt(const struct test_entry *entry, const char *why);

/**
 * @brief Takes away a passing test's memory half when the lesson's
 *        AddressSanitizer run of the same test found an error.
 * The sanitizer's findings are explained in the same words as memcheck's.
 *
 * @param[in,out] verdict  the test's verdict from verdict_make() (Valgrind
 *                         run); updated in place.
 * @param[in]     in       the AddressSanitizer run's context (its run_dir);
 *                         borrowed.
 * @param[in]     index    the test's index in the catalogue.
 * @param[in]     outcome  the AddressSanitizer run's outcome for the test;
 *                         borrowed.
 * @param[in]     expected_signal the signal the test expects to end it (its
 *                         `.signal`), 0 for none: such an end is clean when
 *                         no sanitizer report came with it.
 */
void verdict_add_sanitizer(json_t *verdict, const struct verdict_input *in, size_t index,
                           const struct test_outcome *outcome, int expected_signal);

#endif /* GRADER_VERDICT_H */
