/**
 * @file explain.h
 * @brief Memcheck errors told in plain words, pointing at the learner's code.
 */
#ifndef GRADER_EXPLAIN_H
#define GRADER_EXPLAIN_H

#include <stdbool.h>

#include "vgreport.h"

/**
 * @brief Says whether @p error belongs to the learner.
 *
 * It does when some frame of its stack (or, for a leak, of its allocation
 * stack) is in one of @p own_files. Errors wholly inside Criterion, the
 * harness or libc are not the learner's.
 *
 * @param[in] error     the error; borrowed.
 * @param[in] own_files NULL-terminated base names of the learner's and the
 *                      test's source files, e.g. "vector.c"; borrowed.
 * @return true when a frame of @p error is in one of @p own_files.
 */
bool explain_is_learners(const struct vg_error *error, const char *const *own_files);

/**
 * @brief Explains @p error for a learner, in a few short lines.
 *
 * The lines say:
 *  - what happened in learner terms, e.g. "Wrote 4 bytes just past the end of
 *    a 40-byte block." or "Read 8 bytes from a block that was already freed.",
 *    "40 bytes in 1 block were never freed (a leak).";
 *  - where: the first frame in one of @p learner_files (then the test's files,
 *    then any frame), as "vector.c:42 in vector_push()"; for libc functions
 *    called by learner code (memcpy, strlen...) also name the caller;
 *  - where the block was allocated and freed, when Valgrind says so, again as
 *    the first learner frame;
 *  - for uninitialised values, where the value came from (origin);
 *  - which lesson section to read, e.g.
 *    "Read: lessons/02-heap/README.md, section \"Use after free\".".
 * Unknown kinds still get a sensible explanation built from Valgrind's own
 * words.
 *
 * @param[in] error           the error; borrowed.
 * @param[in] learner_files   NULL-terminated base names of the learner's files; borrowed.
 * @param[in] test_files      NULL-terminated base names of the test's files; borrowed.
 * @return a newly allocated string owned by the caller (free() it), or NULL
 *         when memory runs out.
 */
char *explain_error(const struct vg_error *error,
                    const char *const *learner_files,
                    const char *const *test_files);

/**
 * @brief Explains why the process of @p report died.
 *
 * The signal is report->fatal_signal. The explanation has the same shape
 * as explain_error(): what the signal means, where it hit, and the lesson
 * to read. A SIGSEGV at the limit of the main thread's stack
 * under Valgrind is told as a stack overflow (lessons/01-stack-frames,
 * section "Stack overflow").
 *
 * @param[in] report          the report; borrowed.
 * @param[in] learner_files   NULL-terminated base names of the learner's files; borrowed.
 * @param[in] test_files      NULL-terminated base names of the test's files; borrowed.
 * @return a newly allocated string owned by the caller (free() it), or NULL
 *         when the report has no fatal signal or memory runs out.
 */
char *explain_fatal_signal(const struct vg_report *report,
                           const char *const *learner_files,
                           const char *const *test_files);

#endif /* GRADER_EXPLAIN_H */
