/**
 * @file course_protocol.h
 * @brief The one definition of what the grader and the harness agree on.
 *
 * The grader (grader/src) starts the harness (grader/harness/harness.c,
 * linked into every test binary) and reads what it reports. Everything both
 * sides must agree on is defined here and nowhere else.
 *
 * Rules of the time model (issue "same code, same grade"):
 *  1. Every limit that decides a grade counts the CPU time of the code being
 *     judged, never wall-clock time: a busy machine slows a test down, it
 *     does not make it use more CPU.
 *  2. A test may use its allowance of CPU seconds:
 *     max(#PROTO_FLOOR_S, declared `.timeout` x #PROTO_TIMEOUT_SCALE), with
 *     the floor halved under AddressSanitizer. Every test gets its whole
 *     allowance, whatever earlier tests did (rule 5 bounds the total). A
 *     test whose reference solution's body needs more than a twentieth of
 *     the floor declares a `.timeout`, so that every allowance is
 *     #PROTO_COST_MARGIN times what the solution uses; `make test` checks
 *     at least #PROTO_COST_CHECKED times, as measured on a machine that may
 *     be busy.
 *  3. A test that sleeps (no thread of it wants the CPU) for as long as its
 *     allowance is blocked: stopped, and the learner's failure.
 *  4. Wall-clock time is only a backstop, #PROTO_WALL_FACTOR times a limit.
 *     A test or step that reaches it while it wanted the CPU was starved by
 *     the machine: that is the host's problem, never the learner's; the
 *     grader retries the test once, then reports a grader error (exit 2).
 *  5. Each lesson's tests may use #PROTO_LESSON_CPU_S of CPU in all; each
 *     exercise gets a share of it (lesson.json's "cpu_shares", 1 each by
 *     default), the same whichever exercises are graded together. When an
 *     exercise's share is spent, its remaining tests score 0 and say why;
 *     earlier scores stand. An AddressSanitizer pass gets what the Valgrind
 *     pass left of the share.
 */
#ifndef COURSE_PROTOCOL_H
#define COURSE_PROTOCOL_H

/** The descriptor on which the harness (the zygote) reports events to the
 *  grader: one JSON line per event, "start", "end" or "error". */
#define PROTO_EVENT_FD 3
/** The descriptor on which a test child sends its records to the zygote
 *  (failures, "done"); the same number, in another process. Learner file
 *  calls may never touch it (fs_guard.c). */
#define PROTO_RECORD_FD 3

/** The run directory the grader gives the harness holds these folders. */
#define PROTO_RUN_XML "xml"         /**< Valgrind's reports, one per process */
#define PROTO_RUN_LOGS "logs"       /**< each test's output, INDEX.log */
#define PROTO_RUN_SCRATCH "scratch" /**< each test's empty working folder, INDEX/ */
/** A test's output file in #PROTO_RUN_LOGS, from its catalogue index. */
#define PROTO_LOG_NAME "%zu.log"
/** A process's Valgrind report in #PROTO_RUN_XML, from its pid. */
#define PROTO_XML_NAME "%d.xml"

/** The exit status of a test child that AddressSanitizer stopped. */
#define PROTO_ASAN_EXIT_CODE 86
/** The same, for ASAN_OPTIONS. */
#define PROTO_ASAN_EXIT_CODE_TEXT "86"

/** A test's CPU allowance under Valgrind when it declares no `.timeout`,
 *  in seconds. A test of the course that does little uses 0.05 to 0.1 s of
 *  CPU under Valgrind (measured on a 2-core machine, most of it Valgrind
 *  translating the test's code in its fresh process). */
#define PROTO_FLOOR_S 4.0
/** Under AddressSanitizer, which costs about 2x native, the floor is this
 *  fraction of Valgrind's. */
#define PROTO_ASAN_FLOOR_FRACTION 0.5
/** A declared `.timeout` is native seconds; under either tool a test may
 *  use this many times as much CPU. */
#define PROTO_TIMEOUT_SCALE 3.0
/** After its body has ended, a test child may use this much more CPU to
 *  exit (Valgrind's leak check). */
#define PROTO_EXIT_GRACE_S 20.0
/** Every test's allowance is at least this many times the CPU that the
 *  reference solution uses for it on an idle machine. */
#define PROTO_COST_MARGIN 20.0
/** What `make test` checks, on a machine that may be busy: a busy 2-core
 *  machine was measured to make the same test use up to 1.4 times the CPU
 *  (cache and core sharing), so the check allows half the margin. */
#define PROTO_COST_CHECKED (PROTO_COST_MARGIN / 2)
/** Wall-clock backstop: this many times a CPU limit. */
#define PROTO_WALL_FACTOR 10.0
/** CPU seconds that one lesson's tests may use in all, in one grading. */
#define PROTO_LESSON_CPU_S 55.0
/** CPU seconds that one compile or link step may use. */
#define PROTO_COMPILE_CPU_S 20.0

#include <stdbool.h>
#include <stddef.h>

/**
 * @brief The harness's sealed page (the running test's token), which the
 *        guards of learner calls must never reopen. Defined in harness.c.
 * @param[out] size its size in bytes.
 * @return its address, or NULL before the harness made it.
 */
void *course_guarded_page(size_t *size);

/**
 * @brief The fault-injection hook of lesson data (exercises/04-raii/support/
 *        io_faults.c), asked by fs_guard.c before each learner file call.
 *        Weak in fs_guard.c: a lesson without the hook fails nothing.
 * @param[in]     call the learner's call, e.g. "open", "fgets".
 * @param[in]     fd   the descriptor it is made on, or -1.
 * @param[in,out] size the byte count of a read or write, which the hook may
 *                     shorten; NULL for other calls.
 * @return 0 to let the call run, or an errno value to fail it with.
 */
int course_io_fault(const char *call, int fd, size_t *size);

#endif /* COURSE_PROTOCOL_H */
