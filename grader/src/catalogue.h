/**
 * @file catalogue.h
 * @brief A test binary's catalogue (its `--list` output) as C structs.
 *
 * The harness lists a binary's tests as JSON (harness.c, list_tests()).
 * That text is parsed here, once, at the edge: the grader's modules then
 * read typed fields, never string keys. A member the listing lacks reads as
 * NULL (strings), 0 or false, as the JSON reader gave it before.
 */
#ifndef GRADER_CATALOGUE_H
#define GRADER_CATALOGUE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/** One test of a binary, as the harness lists it. */
struct test_entry {
    char *suite;       /**< Criterion suite; owned, NULL when not listed. */
    char *name;        /**< Test name in its suite; owned, or NULL. */
    char *description; /**< What it checks, "" when undeclared; owned, or NULL. */
    char *visibility;  /**< Gradescope's word ("visible", "hidden"...); owned, or NULL. */
    char *file;        /**< The test's source file; owned, or NULL. */
    long long line;    /**< Its line in @ref file. */
    long long points;  /**< Points it is worth (GRADED_TEST). */
    double timeout;    /**< Declared `.timeout`, native seconds; 0 when none. */
    int signal;        /**< The signal that must end it (`.signal`), 0 for none. */
    bool disabled;     /**< `.disabled`: listed, never run. */
};

/** A binary's tests in catalogue order (the harness's indices). */
struct catalogue {
    struct test_entry *tests; /**< The entries; owned. */
    size_t n;                 /**< Number of entries. */
};

/**
 * @brief Parses a `--list` output.
 * @param[in]  text the JSON text; borrowed.
 * @param[out] out  the catalogue, owned by the caller (catalogue_done());
 *                  empty on failure.
 * @return 0; -EINVAL when @p text is not a JSON array of objects; -ENOMEM.
 */
int catalogue_parse(const char *text, struct catalogue *out);

/**
 * @brief Reads and parses a `--list` output written to a file.
 * @param[in]  path      the file, opened as a file learner code could have
 *                       touched (file_read_capped()); borrowed.
 * @param[in]  max_bytes the largest file accepted.
 * @param[out] out       as for catalogue_parse().
 * @return as for catalogue_parse(); -EIO when the file cannot be read.
 */
int catalogue_load(const char *path, size_t max_bytes, struct catalogue *out);

/**
 * @brief Frees every entry's strings and the entries.
 * @param[in,out] catalogue emptied; NULL is allowed.
 */
void catalogue_done(struct catalogue *catalogue);

/**
 * @brief Whether two entries name the same test: suite, name and source
 *        file, each present.
 * @param[in] a one entry; borrowed.
 * @param[in] b the other; borrowed.
 * @return true when all three are listed and equal.
 */
bool test_entry_same(const struct test_entry *a, const struct test_entry *b);

#endif /* GRADER_CATALOGUE_H */
