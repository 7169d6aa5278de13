/**
 * @file sanreport.h
 * @brief AddressSanitizer, LeakSanitizer and UndefinedBehaviorSanitizer
 *        reports, read from a test's output into the structs that memcheck's
 *        XML fills (vgreport.h), so that one explainer tells both.
 *
 * A sanitized test writes its report into the same log as its own output:
 * learner code can print anything there, a forged report included. What is
 * read here only ever changes the words of an explanation, never a score
 * (verdict.c scores from the harness's outcome).
 */
#ifndef GRADER_SANREPORT_H
#define GRADER_SANREPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "vgreport.h"

/**
 * @brief Finds where the first sanitizer report of @p log starts.
 * @param[in] log a test's output, '\0'-terminated; borrowed.
 * @return the start of the report's first line (its "=====" rule, or the
 *         line of its "ERROR:" or "runtime error:"), inside @p log; NULL
 *         when @p log holds no report.
 */
const char *san_report_start(const char *log);

/**
 * @brief Names the sanitizer that wrote the first report of @p log.
 * @param[in] log a test's output; borrowed.
 * @return "AddressSanitizer", "LeakSanitizer" or
 *         "UndefinedBehaviorSanitizer" (static strings); NULL when @p log
 *         holds no report.
 */
const char *san_report_tool(const char *log);

/**
 * @brief Reads every sanitizer report in @p log.
 *
 * Each memory error becomes a vg_error with memcheck's kind
 * ("InvalidWrite", "InvalidRead", "InvalidFree", "Overlap",
 * "Leak_DefinitelyLost", "Leak_IndirectlyLost"), its access size, its
 * address (vg_address: a heap block, a local or global array) and its
 * stacks (where; allocated at; freed at). Undefined behaviour becomes kind
 * "UndefinedBehavior" with the sanitizer's words in @c what, except a load
 * or store through a NULL pointer, which is an InvalidRead or InvalidWrite.
 * A deadly signal (ASan's "SEGV on unknown address", "stack-overflow")
 * fills the report's fatal signal. At most a few errors and frames are
 * kept; lines are read within @p log only.
 *
 * @param[in]  log  a test's output, '\0'-terminated; borrowed.
 * @param[out] out  filled (release it with vg_report_done()); all zero when
 *                  @p log holds no report.
 * @return 0, or -ENOMEM (then @p out is released and zeroed).
 */
int san_report_parse(const char *log, struct vg_report *out);

/**
 * @brief The raw report for a person: from its start in @p log, each line
 *        without its "==PID==" prefix, without ASan's shadow-byte map and
 *        legend, which say nothing a learner can act on.
 * @param[in] log a test's output; borrowed.
 * @param[in] max_lines the most lines kept.
 * @return a new string owned by the caller (free() it); NULL when @p log
 *         holds no report or memory runs out.
 */
char *san_report_text(const char *log, size_t max_lines);

#endif /* GRADER_SANREPORT_H */
