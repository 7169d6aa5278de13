/**
 * @file explain.h
 * @brief Memory errors told in plain words, pointing at the learner's code,
 *        whether memcheck (vgreport.h) or a sanitizer (sanreport.h) found
 *        them.
 */
#ifndef GRADER_EXPLAIN_H
#define GRADER_EXPLAIN_H

#include <stdbool.h>

#include "vgreport.h"

struct course;

/** What an explanation needs besides the error: whose files are whose, how
 *  to name the learner's file, and where the lessons are. */
struct explain_context {
    const char *const *learner_files; /**< NULL-terminated base names of the
                                           learner's files, e.g. "vector.c" */
    const char *const *test_files;    /**< NULL-terminated base names of the
                                           test's files, e.g. "vector_test.c" */
    const char *learner_path;         /**< how to print the learner's file, e.g.
                                           "02-heap/vector.c"; NULL: its base name */
    const struct course *course;      /**< the lessons whose sections are cited
                                           (lesson.json "error_sections"); NULL:
                                           no section is cited */
};

/**
 * The kinds of error a lesson's "error_sections" may map to one of its
 * README's sections, NULL-terminated: "heap_overflow", "use_after_free",
 * "invalid_free", "leak", "uninitialised", "dangling_local",
 * "stack_overflow", "array_overflow", "integer_overflow".
 */
extern const char *const explain_topics[];

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
 * @brief Says whether the block of a leak was allocated by the learner's
 *        code: walking its allocation stack from the allocator outwards, the
 *        first frame with a source file, past @p allocator_files (the
 *        course's wrappers of malloc), is in the learner's files. A block that
 *        the test allocated itself, or that a course helper did, is not.
 * @param[in] error            a leak; borrowed.
 * @param[in] ctx              whose files are whose; borrowed.
 * @param[in] allocator_files  NULL-terminated base names of files whose
 *                             frames are the allocator's; borrowed.
 * @return true for the learner's block.
 */
bool explain_block_is_learners(const struct vg_error *error,
                               const struct explain_context *ctx,
                               const char *const *allocator_files);

/**
 * @brief Explains @p error for a learner, in a few short lines.
 *
 * The lines say:
 *  - what happened in learner terms, e.g. "Wrote 4 bytes just past the end of
 *    a 40-byte block." or "Read 8 bytes from a block that was already freed.",
 *    "40 bytes in 1 block were never freed (a leak).";
 *  - where: the first frame in the learner's files (then the test's files,
 *    then any frame), as "02-heap/vector.c:42 in vector_push()"; for libc
 *    functions called by learner code (memcpy, strlen...) also name the
 *    caller;
 *  - where the block was allocated and freed, when the tool says so, again as
 *    the first learner frame;
 *  - for uninitialised values, where the value came from (origin);
 *  - which lesson section to read, e.g.
 *    "Read: lessons/02-heap/README.md, section \"Use after free\".", from
 *    the lesson whose lesson.json maps the error's kind to a section.
 * The same words whether memcheck or a sanitizer reported the error. Unknown
 * kinds still get a sensible explanation built from the tool's own words.
 *
 * @param[in] error the error; borrowed.
 * @param[in] ctx   whose files are whose, and the lessons; borrowed.
 * @return a newly allocated string owned by the caller (free() it), or NULL
 *         when memory runs out.
 */
char *explain_error(const struct vg_error *error, const struct explain_context *ctx);

/**
 * @brief Names a signal in plain words, from the one table of signals that
 *        explain_fatal_signal() also tells.
 * @param[in] signal a signal number, e.g. SIGSEGV.
 * @return a static string, e.g. "a segmentation fault (SIGSEGV): ...";
 *         "a signal" for a signal without words of its own. Never NULL; do
 *         not free it.
 */
const char *explain_signal_words(int signal);

/**
 * @brief Explains why the process of @p report died.
 *
 * The signal is report->fatal_signal. The explanation has the same shape
 * as explain_error(): what the signal means, where it hit (unless
 * @p with_where is false: a memory error explained beside it already
 * says), and the lesson to read. A stack overflow
 * (report->stack_overflow) is told as one.
 *
 * @param[in] report      the report; borrowed.
 * @param[in] ctx         whose files are whose, and the lessons; borrowed.
 * @param[in] with_where  say where the signal hit.
 * @return a newly allocated string owned by the caller (free() it), or NULL
 *         when the report has no fatal signal or memory runs out.
 */
char *explain_fatal_signal(const struct vg_report *report, const struct explain_context *ctx,
                           bool with_where);

/**
 * @brief Whether the crash of @p report hit where @p error happened (the
 *        frame each would show): then the crash need not say where again.
 * @param[in] report the report with a fatal signal; borrowed.
 * @param[in] error  an error of it; borrowed.
 * @param[in] ctx    whose files are whose; borrowed.
 * @return true for the same file, line and function.
 */
bool explain_same_place(const struct vg_report *report, const struct vg_error *error,
                        const struct explain_context *ctx);

/**
 * @brief Says where a test that used its CPU allowance (or waited as long)
 *        was stopped: "Stopped at vector.c:67 in vector_next_cap(), called
 *        from ...", from the first frame in the learner's or the test's
 *        files up to the test's. Only an explanation: the stack comes from
 *        Valgrind's report or the harness's record pipe, and never decides
 *        a score.
 * @param[in] stack the stopped process's stack, innermost first; borrowed.
 * @param[in] ctx   whose files are whose; borrowed.
 * @return a newly allocated string owned by the caller (free() it), or NULL
 *         when no frame is in those files or memory runs out.
 */
char *explain_stopped(const struct vg_stack *stack, const struct explain_context *ctx);

#endif /* GRADER_EXPLAIN_H */
