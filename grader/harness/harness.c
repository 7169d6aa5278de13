/**
 * @file harness.c
 * @brief The test runner linked into every graded test binary.
 *
 * Criterion's own runner starts each test by exec'ing the test binary again,
 * so under Valgrind every test pays a full Valgrind start-up (about a second
 * with libcriterion's twenty shared libraries). This harness keeps
 * Criterion's tests and assertions but replaces its runner:
 *
 *  1. The binary starts once (under Valgrind when grading) and becomes a
 *     "zygote" that never runs learner code itself.
 *  2. For each test it forks a child. A fork inherits Valgrind's translated
 *     code, so a test costs only its own run, and Valgrind writes one XML
 *     report per child (`--xml-file=DIR/%p.xml`): memory errors are charged
 *     to exactly the test whose process made them.
 *  3. The child runs the test and reports assertion failures to the zygote
 *     through a pipe; the zygote turns the child's wait status and reports
 *     into one verdict and writes it as a JSON line on fd 3 for the grader.
 *
 * A test passes only if its child reached the end of the test body through
 * this file's code with no failed assertion (or died by the signal the test
 * expects). Exiting early, with any status, is never a pass.
 *
 * Trust. Learner code runs only in the test children, never in the zygote
 * (the grader refuses constructors, IFUNC resolvers and every symbol the
 * harness or Criterion calls). The zygote is not dumpable, so a child cannot
 * write its memory through /proc. It keeps each test's clock itself and
 * kills only the pid that fork() gave it. A child's "done" record must carry
 * a random token that only this file's code holds, and a child that could
 * not send a record is never reported as finished: forging a pass takes a
 * memory-corruption exploit, not a library call. The grader keeps its own,
 * coarser clock over the whole run, and trusts no pid it reads here.
 *
 * A test stopped for its CPU allowance is first sent SIGXCPU, so that the
 * learner sees where it looped: under AddressSanitizer the child's handler
 * prints its stack on the record pipe, under Valgrind Valgrind reports the
 * signal's stack in its XML. Both are channels learner calls cannot write;
 * the stack only explains, the zygote's clock decided, and after
 * #STACK_WAIT_S the child is killed whatever it does with the signal.
 *
 * Usage:
 * @code{.unparsed}
 * TESTBIN --list
 * TESTBIN --run LOGDIR SCRATCHDIR SCALE FLOOR [--fast] [--own-uid] INDEX...
 * @endcode
 *  - each test child writes its output to `LOGDIR/INDEX.log` and runs in a
 *    fresh directory `SCRATCHDIR/INDEX`;
 *  - a test may use max(FLOOR, its declared timeout times SCALE) seconds of
 *    CPU (course_protocol.h gives the whole time model: CPU limits, blocked
 *    tests, the wall-clock backstop); every test gets its whole allowance,
 *    whatever earlier tests did: the grader's budgets bound the total;
 *  - with --own-uid (the grader gave this run a uid of its own), every
 *    process a test leaves behind is killed by uid before the next test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <link.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/internal/assert/types.h>
#include <jansson.h>

#include "course_protocol.h"
#include "course_test.h"
#include "fds_close.h"
#include "proc_tree.h"

/** The file descriptor on which the grader reads verdicts. */
#define RESULT_FD PROTO_EVENT_FD

/** Longest failure message kept from a test child, in bytes. */
#define FAILURE_MAX_BYTES 2048
/** Most failure records kept for one test. */
#define FAILURES_MAX 16
/** Most bytes read from one test child's record pipe. */
#define RECORDS_MAX_BYTES (64 * 1024)
/** Length of the per-test token that proves a "done" record, in hex digits. */
#define TOKEN_HEX 32
/** The exit status of a test child whose setup failed before the test ran. */
#define CHILD_SETUP_EXIT 71

/* Criterion places a pointer to every test and suite in these sections. */
/** @cond INTERNAL */
extern struct criterion_test *__start_cr_tst[] __attribute__((weak));
extern struct criterion_test *__stop_cr_tst[] __attribute__((weak));
extern struct criterion_suite *__start_cr_sts[] __attribute__((weak));
extern struct criterion_suite *__stop_cr_sts[] __attribute__((weak));

/* LeakSanitizer's on-demand check, present only in --fast (ASan) builds. */
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));
/* The sanitizers' stack printer and where it writes, the same. */
extern void __sanitizer_print_stack_trace(void) __attribute__((weak));
extern void __sanitizer_set_report_fd(void *fd) __attribute__((weak));
/** @endcond */

/** What the running test child knows about itself. */
static struct {
    const struct criterion_test *test;   /* the test this process runs */
    const struct criterion_suite *suite; /* its suite, NULL if undeclared */
    int report_fd;                       /* pipe to the zygote */
    rlim_t fd_limit;                     /* the soft RLIMIT_NOFILE, read by the zygote */
    bool broken;                         /* a record could not be sent */
    bool failed;                         /* a failure record was sent */
    bool in_body;                        /* abort_jmp is valid */
    jmp_buf abort_jmp;                   /* where an aborting assertion lands */
} child;

/* ---------- The sealed token ---------- */

/* The per-test token that proves a "done" record lives alone in a page of
 * its own. The zygote writes it there just before fork(); the test child
 * seals the page (PROT_NONE) before any test code runs and opens it only to
 * send "done", after the test's code has returned. Learner code in the child
 * can read any memory of its own process that is readable, so no other copy
 * of the token exists in the child: the zygote keeps its copy only after
 * fork(), and the random bytes are wiped. Learner code cannot reopen the page
 * either: it may not call mprotect() (imports.base), and where a lesson
 * allows it, mem_guard.c refuses this page. */
static char *token_page;
static size_t token_page_size;

void *course_guarded_page(size_t *size)
{
    *size = token_page_size;
    return token_page;
}

static int token_page_make(void)
{
    long page = sysconf(_SC_PAGESIZE);
    token_page_size = page > 0 ? (size_t)page : 4096;
    token_page = mmap(NULL, token_page_size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return token_page == MAP_FAILED ? -1 : 0;
}

static bool token_page_set(int protection)
{
    return mprotect(token_page, token_page_size, protection) == 0;
}

/* ---------- Child side: reporting to the zygote ---------- */

/* Sends one JSON record to the zygote. Records are small, so one write(2)
 * each keeps them whole. */
static void report_send(json_t *record)
{
    char *line = json_dumps(record, JSON_COMPACT);
    json_decref(record);
    if (!line) {
        child.broken = true;
        return;
    }
    size_t len = strlen(line);
    line[len] = '\n'; /* replaces the NUL; write() takes the length */
    /* A lost record (a failure among them) must never leave a pass behind. */
    if (write(child.report_fd, line, len + 1) != (ssize_t)(len + 1))
        child.broken = true;
    free(line);
}

/* Learner strings may hold any byte, and JSON needs valid UTF-8: a failure
 * must never be lost because its message could not be encoded. */
static char *printable_copy(const char *text)
{
    char *copy = strndup(text ? text : "", FAILURE_MAX_BYTES);
    for (char *p = copy; p && *p; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f)
            *p = '?';
    }
    return copy;
}

static void report_failure(const char *file, size_t line, const char *message)
{
    child.failed = true;
    char *text = printable_copy(message);
    char *where = printable_copy(file);
    json_t *record = json_pack("{s:s, s:s, s:I}", "failure",
                               text ? text : "assertion failed", "file",
                               where ? where : "", "line", (json_int_t)line);
    free(text);
    free(where);
    report_send(record ? record : json_pack("{s:s}", "failure", "assertion failed"));
}

/* Appends the failing leaves of an assertion tree, e.g.
 * "eq(sz, v.len, 3): actual 2, expected 3", to a message being built. */
static void describe_failed_nodes(FILE *out, const struct cri_assert_node *node,
                                  int depth)
{
    if (node->pass)
        return;
    if (node->repr && depth > 0) {
        fprintf(out, "\n  %s", node->repr);
        for (size_t i = 0; i < CRI_ASSERT_MAX_PARAMS && node->params[i].name; i++) {
            if (node->params[i].type == CRI_ASSERT_RT_STR && node->params[i].data)
                fprintf(out, "\n    %s: %s", node->params[i].name,
                        (const char *)node->params[i].data);
        }
    }
    for (uint32_t i = 0; i < node->nchild; i++)
        describe_failed_nodes(out, &node->children[i], depth + 1);
}

/* ---------- Criterion's runtime hooks, as the test code calls them ---------- */

/** Criterion hook: runs the suite's and the test's .init fixtures. */
void criterion_internal_test_setup(void)
{
    if (child.suite && child.suite->data && child.suite->data->init)
        child.suite->data->init();
    if (child.test->data->init)
        child.test->data->init();
}

/**
 * @brief Criterion hook: runs the test body; an aborting assertion lands here.
 * @param[in] fn the test body Criterion generated for the test.
 */
void criterion_internal_test_main(void (*fn)(void))
{
    if (setjmp(child.abort_jmp) == 0) {
        child.in_body = true;
        fn();
    }
    child.in_body = false;
}

/** Criterion hook: runs the test's and the suite's .fini fixtures. */
void criterion_internal_test_teardown(void)
{
    if (child.test->data->fini)
        child.test->data->fini();
    if (child.suite && child.suite->data && child.suite->data->fini)
        child.suite->data->fini();
}

/** Criterion hook: a fatal assertion failed; leave the test body. */
_Noreturn void criterion_abort_test(void)
{
    if (child.in_body)
        longjmp(child.abort_jmp, 1);
    /* A fatal assertion inside a fixture: the test cannot finish. */
    fflush(NULL);
    _exit(70);
}

/** Criterion hook: nothing to do, the test goes on. */
void criterion_continue_test(void)
{
}

/** Criterion hook: passing assertions are not counted. */
void cri_asserts_passed_incr(void)
{
}

/**
 * @brief Criterion hook: an old-style assertion's result; failures go to the
 *        zygote.
 * @param[in] stats the assertion's outcome and source location; borrowed.
 */
void criterion_send_assert(struct criterion_assert_stats *stats)
{
    if (!stats->passed)
        report_failure(stats->file, stats->line, stats->message);
}

/**
 * @brief Criterion hook: a new-style assertion's result; failures go to the
 *        zygote with their values.
 * @param[in] file the test source file of the assertion; borrowed.
 * @param[in] line its line in @p file.
 * @param[in] tree the assertion and its sub-assertions, with the values they
 *                 compared; borrowed.
 */
void cri_assert_node_send(const char *file, size_t line, struct cri_assert_node *tree)
{
    if (tree->pass)
        return;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (!out) {
        report_failure(file, line, tree->message);
        return;
    }
    fputs(tree->message && tree->message[0] ? tree->message : "assertion failed", out);
    describe_failed_nodes(out, tree, 0);
    fclose(out);
    report_failure(file, line, text);
    free(text);
}

/**
 * @brief Criterion hook: fail the test with a message and leave it.
 * @param[in] msg a printf format for the failure message; borrowed.
 * @param[in] ... the values @p msg converts.
 */
_Noreturn void criterion_test_die(const char *msg, ...)
{
    char *text = NULL;
    va_list args;
    va_start(args, msg);
    if (vasprintf(&text, msg, args) < 0)
        text = NULL;
    va_end(args);
    report_failure("", 0, text ? text : msg);
    free(text);
    criterion_abort_test();
}

/**
 * @brief Criterion hook: log lines go to the test's own output.
 * @param[in] severity ignored: every line goes to the test's output.
 * @param[in] msg      a printf format for the line; borrowed.
 * @param[in] ...      the values @p msg converts.
 */
void cr_log(enum criterion_severity severity, const char *msg, ...)
{
    (void)severity;
    va_list args;
    va_start(args, msg);
    vfprintf(stderr, msg, args);
    va_end(args);
    fputc('\n', stderr);
}

/* ---------- Test catalogue ---------- */

/** The tests of this binary in source order. */
static struct {
    const struct criterion_test **tests; /* owned array of borrowed tests */
    size_t len;                          /* number of tests */
} catalogue;

/** A test and the place of its file among the linked test files. */
struct placed_test {
    const struct criterion_test *test; /**< The test; borrowed from Criterion's section. */
    size_t file_rank;                  /**< Its file's first place in the section. */
};

/* Source order: files in link order (the public test file first, an
 * instructor's hidden one after it), then by line. */
static int by_source_position(const void *a, const void *b)
{
    const struct placed_test *x = a, *y = b;
    if (x->file_rank != y->file_rank)
        return (x->file_rank > y->file_rank) - (x->file_rank < y->file_rank);
    return (x->test->data->line_ > y->test->data->line_)
           - (x->test->data->line_ < y->test->data->line_);
}

static int catalogue_load(void)
{
    size_t count = (size_t)(__stop_cr_tst - __start_cr_tst);
    struct placed_test *placed = calloc(count ? count : 1, sizeof(*placed));
    catalogue.tests = calloc(count ? count : 1, sizeof(*catalogue.tests));
    if (!catalogue.tests || !placed) {
        free(placed);
        return -ENOMEM;
    }
    size_t n = 0;
    for (struct criterion_test **p = __start_cr_tst; p < __stop_cr_tst; p++) {
        if (!*p)
            continue;
        /* The section holds each object file's tests together, in link order. */
        size_t first = 0;
        while (first < n && strcmp(placed[first].test->data->file_, (*p)->data->file_) != 0)
            first++;
        size_t rank = first < n ? placed[first].file_rank : n;
        placed[n] = (struct placed_test){ .test = *p, .file_rank = rank };
        n++;
    }
    qsort(placed, n, sizeof(*placed), by_source_position);
    for (size_t i = 0; i < n; i++)
        catalogue.tests[catalogue.len++] = placed[i].test;
    free(placed);
    return 0;
}

static const struct criterion_suite *suite_find(const char *name)
{
    for (struct criterion_suite **p = __start_cr_sts; p < __stop_cr_sts; p++) {
        if (*p && strcmp((*p)->name, name) == 0)
            return *p;
    }
    return NULL;
}

static int test_points(const struct criterion_test *test)
{
    const struct course_grading *grading = test->data->data;
    return grading ? grading->points : 0;
}

static const char *test_visibility(const struct criterion_test *test)
{
    const struct course_grading *grading = test->data->data;
    return grading && grading->visibility ? grading->visibility : "visible";
}

/* The test's declared timeout in native seconds, 0 when it declares none. */
static double test_timeout(const struct criterion_test *test)
{
    const struct criterion_suite *suite = suite_find(test->category);
    if (test->data->timeout > 0)
        return test->data->timeout;
    if (suite && suite->data && suite->data->timeout > 0)
        return suite->data->timeout;
    return 0;
}

/* Prints the catalogue as JSON for the grader. */
static int list_tests(void)
{
    json_t *tests = json_array();
    for (size_t i = 0; i < catalogue.len; i++) {
        const struct criterion_test *t = catalogue.tests[i];
        json_array_append_new(tests, json_pack(
            "{s:I, s:s, s:s, s:s, s:i, s:s, s:f, s:i, s:b, s:s, s:I}",
            "index", (json_int_t)i, "suite", t->category, "name", t->name,
            "description", t->data->description ? t->data->description : "",
            "points", test_points(t), "visibility", test_visibility(t),
            "timeout", test_timeout(t),
            "signal", t->data->signal, "disabled", t->data->disabled,
            "file", t->data->file_, "line", (json_int_t)t->data->line_));
    }
    int err = json_dumpf(tests, stdout, JSON_INDENT(1)) == 0 ? 0 : 1;
    json_decref(tests);
    putchar('\n');
    return err;
}

/* ---------- Test child ---------- */

/* Counts the descriptors the test left open, other than stdin, stdout,
 * stderr and the record pipe. Under Valgrind, descriptors at or above the
 * soft RLIMIT_NOFILE are Valgrind's own and are skipped. */
static int open_fd_count(void)
{
    DIR *dir = opendir("/proc/self/fd");
    if (!dir)
        return 0;
    int count = 0;
    for (int fd; (fd = fds_listed_next(dir)) >= 0;)
        count += fd > STDERR_FILENO && fd != child.report_fd && (rlim_t)fd < child.fd_limit;
    closedir(dir);
    return count;
}

/* Sends the "done" record: the one moment the token page is open. The
 * record is built on the stack, written with one write(2), and wiped. */
static void done_send(void)
{
    char record[TOKEN_HEX + 16];
    if (!token_page_set(PROT_READ))
        return;
    int len = snprintf(record, sizeof(record), "{\"done\":\"%.*s\"}\n", TOKEN_HEX,
                       token_page);
    token_page_set(PROT_NONE);
    if (len > 0 && (size_t)len < sizeof(record)
        && write(child.report_fd, record, (size_t)len) != len)
        child.broken = true;
    explicit_bzero(record, sizeof(record));
}

/* A test child whose setup failed, before any test code ran: it tells the
 * zygote what failed, with the system's reason, and dies. The record
 * carries the token, which only harness code can read before the token
 * page is sealed: learner code cannot forge a setup failure. */
_Noreturn static void child_setup_fail(int report_fd, const char *what)
{
    const char *reason = strerror(errno);
    json_t *record = json_pack("{s:s, s:s, s:s}", "setup_error", what, "errno", reason,
                               "proof", token_page);
    char *line = record ? json_dumps(record, JSON_COMPACT) : NULL;
    json_decref(record);
    if (line)
        dprintf(report_fd, "%s\n", line);
    free(line);
    _exit(CHILD_SETUP_EXIT);
}

/** The marker record after which a stopped test child's stack follows, as
 *  the sanitizers print it, one frame a line. */
#define STACK_MARKER "{\"stack\":true}\n"

/* Under AddressSanitizer, the signal with which the zygote stops a test
 * that used its allowance (SIGXCPU) first makes it show where it was: the
 * sanitizer's unwinder, which sees through the signal frame, writes the
 * stack on the record pipe, which learner calls may never touch
 * (fs_guard.c). Learner code that blocks or catches the signal only loses
 * the explanation: the zygote kills it anyway, and its own clock made the
 * verdict. */
static void stack_show(int sig)
{
    (void)sig;
    if (write(PROTO_RECORD_FD, STACK_MARKER, sizeof(STACK_MARKER) - 1) > 0
        && __sanitizer_set_report_fd && __sanitizer_print_stack_trace) {
        __sanitizer_set_report_fd((void *)(intptr_t)PROTO_RECORD_FD);
        __sanitizer_print_stack_trace();
    }
    _exit(1);
}

/* Runs one test in the current (child) process and never returns. Every
 * failed setup step is fatal, and its reason reaches the grader. */
_Noreturn static void child_run(const struct criterion_test *test, int report_fd,
                                const char *log_path, const char *scratch, bool fast)
{
    /* Its own process group, so that whatever it leaves behind can go. */
    if (setpgid(0, 0) != 0)
        child_setup_fail(report_fd, "cannot give the test its own process group");
    /* The zygote is not dumpable, and a fork inherits that; the test child
     * must be, so that the zygote may read its /proc entries (the sandbox's
     * /proc has hidepid=invisible, which asks for ptrace's read access).
     * Learner code gains nothing: it can read its own memory anyway. */
    if (prctl(PR_SET_DUMPABLE, 1) != 0)
        child_setup_fail(report_fd, "cannot make the test process dumpable");
    /* Only stdio and the record pipe stay open: nothing else of the
     * zygote's (the grader's fd 3 included) is reachable from the test. */
    if (report_fd != PROTO_RECORD_FD && dup2(report_fd, PROTO_RECORD_FD) < 0)
        child_setup_fail(report_fd, "cannot move the record pipe to its descriptor");
    if (report_fd != PROTO_RECORD_FD)
        close(report_fd);
    report_fd = PROTO_RECORD_FD;
    if (fds_close_from(PROTO_RECORD_FD + 1) != 0)
        child_setup_fail(report_fd, "cannot close the descriptors the test must not have");
    int log_fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (log_fd < 0 || dup2(log_fd, STDOUT_FILENO) < 0 || dup2(log_fd, STDERR_FILENO) < 0)
        child_setup_fail(report_fd, "cannot open the test's output file");
    close(log_fd);
    if (chdir(scratch) != 0)
        child_setup_fail(report_fd, "cannot enter the test's scratch directory");
    child.test = test;
    child.suite = suite_find(test->category);
    child.report_fd = report_fd;
    if (!token_page_set(PROT_NONE))
        child_setup_fail(report_fd, "cannot seal the token page");
    /* Under Valgrind the signal keeps its default action: Valgrind itself
     * writes where it hit into the process's XML report. */
    if (fast)
        sigaction(SIGXCPU, &(struct sigaction){ .sa_handler = stack_show }, NULL);

    test->test(); /* Criterion's trampoline: setup, body, teardown */

    int fds = open_fd_count();
    if (fds > 0)
        report_send(json_pack("{s:i}", "open_fds", fds));
    /* A test that failed gets no leak report (its memory half is lost
     * anyway, and its blocks are often the failure's side effect): the
     * check, a scan of the whole process, is the dearest part of a test. */
    if (fast && !child.failed && __lsan_do_recoverable_leak_check
        && __lsan_do_recoverable_leak_check() != 0)
        report_send(json_pack("{s:b}", "leak", 1));
    if (!child.broken)
        done_send();
    fflush(NULL);
    _exit(0);
}

/* ---------- Zygote side ---------- */

/** How long tests may take, from the grader's command line. */
static struct {
    double scale;     /* multiplies a test's declared timeout (CPU seconds) */
    double floor;     /* the least CPU seconds any test gets */
    bool own_uid;     /* the sandbox's uid is ours alone: kill(-1) stays inside */
} limits;

/** What one test child sent on its record pipe, bounded in every way. */
struct records {
    char buffer[RECORDS_MAX_BYTES + 1]; /**< Bytes received, NUL-terminated. */
    size_t used;                        /**< Bytes in @c buffer. */
    bool capped;                        /**< The child sent more than the buffer holds. */
};

static void records_read(int fd, struct records *in)
{
    char discard[4096];
    for (;;) {
        size_t room = RECORDS_MAX_BYTES - in->used;
        char *to = room ? in->buffer + in->used : discard;
        ssize_t got = read(fd, to, room ? room : sizeof(discard));
        if (got <= 0)
            return;
        if (room)
            in->used += (size_t)got;
        else
            in->capped = true;
    }
}

/** Why a test child's setup failed, as its proven record said. */
struct setup_error {
    char what[256];   /**< the step that failed; "" when none did */
    char reason[256]; /**< the system's words for errno */
};

/** Most frames kept of a stopped test's stack. */
#define STACK_FRAMES_MAX 16
/** Longest function or file name kept of a frame, in bytes. */
#define STACK_NAME_MAX 96

/* A copy of at most @p len bytes of @p text, anything but printable ASCII
 * replaced: function and file names come from the learner's debug info. */
static json_t *name_json(const char *text, size_t len)
{
    char name[STACK_NAME_MAX + 1];
    size_t n = len < STACK_NAME_MAX ? len : STACK_NAME_MAX;
    for (size_t i = 0; i < n; i++)
        name[i] = text[i] > 0x20 && text[i] < 0x7f ? text[i] : '?';
    name[n] = '\0';
    return json_string(name);
}

/* One frame as the sanitizers print it, "#3 0x55e1 in grow /dir/vector.c:57:5"
 * or "#2 0x7f52  (/lib/libc.so.6+0x3c04f)", as {fn, file (base name),
 * line}; NULL when the line is not a frame or names no function. */
static json_t *frame_parse(const char *line)
{
    const char *in = strstr(line, " in ");
    if (line[strspn(line, " ")] != '#' || !in)
        return NULL;
    const char *fn = in + 4, *fn_end = fn + strcspn(fn, " ");
    json_t *frame = json_pack("{s:o}", "fn", name_json(fn, (size_t)(fn_end - fn)));
    const char *where = fn_end + strspn(fn_end, " ");
    if (!frame || *where == '(' || *where == '\0')
        return frame;
    /* path:line or path:line:column */
    const char *end = where + strcspn(where, " "), *colon = NULL;
    for (const char *p = where; p < end; p++) {
        if (*p == ':' && p[1] >= '0' && p[1] <= '9' && (!colon || p < colon))
            colon = p;
    }
    const char *base = where;
    for (const char *p = where; p < (colon ? colon : end); p++) {
        if (*p == '/')
            base = p + 1;
    }
    json_object_set_new(frame, "file", name_json(base, (size_t)((colon ? colon : end) - base)));
    if (colon)
        json_object_set_new(frame, "line", json_integer(strtol(colon + 1, NULL, 10)));
    return frame;
}

/* Turns the records into the verdict's parts; the lines after the stack
 * marker are the stopped child's stack. */
static void records_parse(struct records *in, const char *token, json_t *failures,
                          bool *done, bool *leak, int *open_fds, struct setup_error *setup,
                          json_t *stack)
{
    in->buffer[in->used] = '\0';
    char *save = NULL;
    bool in_stack = false;
    for (char *line = strtok_r(in->buffer, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        if (strcmp(line, "{\"stack\":true}") == 0) {
            in_stack = true;
            continue;
        }
        json_t *frame = in_stack && stack && json_array_size(stack) < STACK_FRAMES_MAX
                            ? frame_parse(line) : NULL;
        if (frame) {
            /* The frames up to the handler are the printer's own. */
            if (strcmp(json_string_value(json_object_get(frame, "fn")), "stack_show") == 0)
                json_array_clear(stack), json_decref(frame);
            else
                json_array_append_new(stack, frame);
            continue;
        }
        json_t *record = json_loads(line, 0, NULL);
        if (!json_is_object(record)) {
            json_decref(record);
            continue;
        }
        const char *proof = json_string_value(json_object_get(record, "done"));
        const char *setup_proof = json_string_value(json_object_get(record, "proof"));
        const char *what = json_string_value(json_object_get(record, "setup_error"));
        if (proof && strcmp(proof, token) == 0) {
            *done = true;
        } else if (what && setup_proof && strcmp(setup_proof, token) == 0) {
            snprintf(setup->what, sizeof(setup->what), "%s", what);
            const char *reason = json_string_value(json_object_get(record, "errno"));
            snprintf(setup->reason, sizeof(setup->reason), "%s", reason ? reason : "");
        }
        else if (json_is_true(json_object_get(record, "leak")))
            *leak = true;
        else if (json_is_integer(json_object_get(record, "open_fds")))
            *open_fds = (int)json_integer_value(json_object_get(record, "open_fds"));
        else if (json_is_string(json_object_get(record, "failure"))
                 && json_array_size(failures) < FAILURES_MAX)
            json_array_append(failures, record);
        json_decref(record);
    }
    if (in->capped)
        json_array_append_new(failures, json_pack("{s:s}", "failure",
            "the test sent more failure text than the grader keeps (64 KiB); "
            "the rest was dropped"));
}

static void result_send(json_t *record)
{
    char *line = json_dumps(record, JSON_COMPACT);
    json_decref(record);
    if (!line)
        return;
    dprintf(RESULT_FD, "%s\n", line);
    free(line);
}

static double now_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* A fresh token for each test in the token page: 16 random bytes in hex.
 * The bytes are wiped, so that no copy is left on the stack that the test
 * child inherits. */
static int token_make(void)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char bytes[TOKEN_HEX / 2];
    int err = getrandom(bytes, sizeof(bytes), 0) == (ssize_t)sizeof(bytes) ? 0 : -1;
    for (size_t i = 0; err == 0 && i < sizeof(bytes); i++) {
        token_page[2 * i] = hex[bytes[i] >> 4];
        token_page[2 * i + 1] = hex[bytes[i] & 0xf];
    }
    token_page[TOKEN_HEX] = '\0';
    explicit_bzero(bytes, sizeof(bytes));
    return err;
}

/* Reports that test @p index could not be run: @p what failed, for the
 * reason @p why (the system's words). */
static void send_error_why(size_t index, const char *what, const char *why)
{
    result_send(json_pack("{s:s, s:I, s:s, s:s}", "event", "error", "index",
                          (json_int_t)index, "reason", what, "errno", why));
}

/* The same, for a call of the zygote's that just failed (errno). */
static void send_error(size_t index, const char *what)
{
    send_error_why(index, what, strerror(errno));
}

/* The CPU seconds @p clock has run, or -1 when it cannot be read. */
static double cpu_seconds(clockid_t clock)
{
    struct timespec used;
    if (clock_gettime(clock, &used) != 0)
        return -1;
    return (double)used.tv_sec + (double)used.tv_nsec / 1e9;
}

/** Why the zygote stopped a test child, if it did. */
enum stop {
    STOP_NONE,      /**< it exited by itself */
    STOP_CPU,       /**< it used its CPU allowance: the learner's loop */
    STOP_BLOCKED,   /**< it slept as long as its allowance: the learner's wait */
    STOP_HOST_BUSY, /**< it wanted the CPU but the machine did not give it:
                         the wall-clock backstop, the host's problem */
};

/** How many processes of a test's tree are read (proc_tree.h): a fork bomb
 *  is stopped by its CPU time and process limit, not by reading it all. */
#define TREE_PROCS_MAX 64
/** How often the tree of a test near its limits is read, in seconds. */
#define TREE_READ_S 0.25

/** How long a stopped test may take to show where it was, in wall-clock
 *  seconds: only an explanation waits on it, never a verdict. */
#define STACK_WAIT_S 2.0

/* Stops our own child (the pid fork() returned) and reaps it. With
 * @p explain, first by SIGXCPU, which makes it show where it was running
 * (stack_show() under AddressSanitizer; under Valgrind, Valgrind's report
 * of the fatal signal), then after at most #STACK_WAIT_S by SIGKILL. */
static void child_stop(pid_t pid, int fd, struct records *in, int *status,
                       struct rusage *used, bool explain)
{
    double until = now_seconds() + STACK_WAIT_S;
    if (explain && kill(pid, SIGXCPU) == 0) {
        while (now_seconds() < until) {
            struct pollfd pfd = { .fd = fd, .events = POLLIN };
            poll(&pfd, 1, 20);
            records_read(fd, in);
            if (wait4(pid, status, WNOHANG, used) == pid)
                return;
        }
    }
    kill(pid, SIGKILL);
    while (wait4(pid, status, 0, used) < 0 && errno == EINTR)
        ;
}

static double rusage_cpu_seconds(const struct rusage *used)
{
    return (double)used->ru_utime.tv_sec + (double)used->ru_utime.tv_usec / 1e6
           + (double)used->ru_stime.tv_sec + (double)used->ru_stime.tv_usec / 1e6;
}

/* Waits for the child, reading its records, until it exits or is stopped;
 * returns why it was stopped, and the CPU seconds it used in @p cpu_used.
 *
 * A test's time is the CPU time its process and every process it started
 * used (course_protocol.h): a busy machine slows it down without failing
 * it, and a fork bomb's work counts. A test that sleeps, with
 * no thread wanting the CPU, for as long as its allowance, is blocked. Only
 * the wall-clock backstop, #PROTO_WALL_FACTOR times the allowance, stops a
 * test that wanted the CPU and did not get it: that is the host's problem. */
static enum stop child_watch(pid_t pid, int fd, double allowed, struct records *in,
                             int *status, double *cpu_used, double *body_cpu)
{
    clockid_t clock;
    bool have_cpu = clock_getcpuclockid(pid, &clock) == 0 && cpu_seconds(clock) >= 0;
    double started = now_seconds(), tree_at = -1, asleep = 0;
    struct proc_tree tree = { .wants_cpu = true };
    bool done_seen = false;
    struct rusage used = { 0 };
    enum stop stop = STOP_NONE;
    for (;;) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        poll(&pfd, 1, 20);
        records_read(fd, in);
        if (wait4(pid, status, WNOHANG, &used) == pid)
            break;
        double now = now_seconds();
        double own = have_cpu ? cpu_seconds(clock) : now - started;
        /* The tree is read only when the test could be near a limit, and
         * at most every #TREE_READ_S: a test's own clock is cheap, /proc
         * under Valgrind is not. */
        bool near = own > allowed / 8 || now - started > allowed / 4;
        if (near && now - tree_at >= TREE_READ_S) {
            /* The time since the last reading was asleep if that reading
             * found the whole tree sleeping; it counts only once the test
             * has had its allowance in wall-clock time (before that, no
             * verdict depends on it). */
            if (tree_at >= 0 && !tree.wants_cpu && now - started > allowed)
                asleep += now - tree_at;
            /* The root's own time is its clock's, read above; LeakSanitizer
             * stops the world from a helper process, and a fork bomb's work
             * is in its children: both count. */
            tree = proc_tree_read(pid, TREE_PROCS_MAX, true);
            tree_at = now;
        }
        double cpu = own + tree.others_cpu;
        /* Once the body has ended, Valgrind's leak check may still run. */
        if (!done_seen && memmem(in->buffer, in->used, "\"done\"", 6)) {
            done_seen = true;
            *body_cpu = cpu;
            allowed += PROTO_EXIT_GRACE_S;
        }
        stop = cpu > allowed                                   ? STOP_CPU
               : asleep > allowed                              ? STOP_BLOCKED
               : now - started > allowed * PROTO_WALL_FACTOR   ? STOP_HOST_BUSY
                                                               : STOP_NONE;
        if (stop != STOP_NONE) {
            child_stop(pid, fd, in, status, &used, stop != STOP_HOST_BUSY);
            break;
        }
    }
    records_read(fd, in);
    *cpu_used = rusage_cpu_seconds(&used);
    return stop;
}

/* Kills and reaps everything the test left running. The zygote is a child
 * subreaper, so every process the test started, however it detached, is a
 * descendant that waitpid() sees: when it reports none left (ECHILD),
 * nothing is. A fork bomb forks while it is killed, hence the rounds. */
static void leftovers_kill(pid_t pgid)
{
    for (int round = 0; round < 2000; round++) {
        kill(-pgid, SIGKILL);
        if (limits.own_uid)
            kill(-1, SIGKILL); /* every other process of this run's own uid */
        pid_t got;
        while ((got = waitpid(-1, NULL, WNOHANG)) > 0)
            ;
        if (got < 0 && errno == ECHILD)
            return;
        nanosleep(&(struct timespec){ .tv_nsec = 1000 * 1000 }, NULL);
    }
}

/* Forks the child of test @p index, waits for it and reports its verdict. */
static void zygote_run_one(size_t index, const char *log_dir, const char *scratch_dir,
                           bool fast)
{
    const struct criterion_test *test = catalogue.tests[index];
    char log_path[4096], scratch[4096];
    snprintf(log_path, sizeof(log_path), "%s/" PROTO_LOG_NAME, log_dir, index);
    snprintf(scratch, sizeof(scratch), "%s/%zu", scratch_dir, index);
    if (mkdir(scratch, 0700) != 0 && errno != EEXIST) {
        send_error(index, "cannot create the test's scratch directory");
        return;
    }
    if (token_make() != 0) {
        send_error(index, "no random bytes for the test's token");
        return;
    }
    /* Read here, before any test code: the child skips the descriptors
     * above it (Valgrind's own) when it counts the ones left open. */
    struct rlimit files;
    if (getrlimit(RLIMIT_NOFILE, &files) != 0) {
        send_error(index, "cannot read the descriptor limit");
        return;
    }
    child.fd_limit = files.rlim_cur;
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
        send_error(index, "cannot create a pipe");
        return;
    }
    /* A blocking read end would let a child that never writes stall the
     * zygote, and with it every test's clock. */
    if (fcntl(pipe_fds[0], F_SETFL, O_NONBLOCK) != 0) {
        send_error(index, "cannot make the record pipe non-blocking");
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        return;
    }
    double declared = test_timeout(test) * limits.scale;
    double allowed = declared > limits.floor ? declared : limits.floor;
    fflush(NULL); /* nothing buffered may be written twice */
    double started = now_seconds();
    pid_t pid = fork();
    if (pid < 0) {
        send_error(index, "cannot fork");
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        return;
    }
    if (pid == 0) {
        close(pipe_fds[0]);
        child_run(test, pipe_fds[1], log_path, scratch, fast);
    }
    close(pipe_fds[1]);
    /* The zygote's own copy, made after fork(): the child never has it. */
    char token[TOKEN_HEX + 1];
    memcpy(token, token_page, sizeof(token));
    explicit_bzero(token_page, TOKEN_HEX);
    result_send(json_pack("{s:s, s:I, s:i, s:f}", "event", "start", "index",
                          (json_int_t)index, "pid", (int)pid, "allowed", allowed));

    static struct records in;
    memset(&in, 0, sizeof(in));
    int status = 0;
    double cpu = 0, body_cpu = -1;
    enum stop stop = child_watch(pid, pipe_fds[0], allowed, &in, &status, &cpu, &body_cpu);
    bool timed_out = stop == STOP_CPU || stop == STOP_BLOCKED;
    close(pipe_fds[0]);
    /* Whatever the test started is killed before the next test: its own
     * group (our child's pid, not a reported one), and with a uid of the
     * sandbox's own, every other process of that uid. */
    leftovers_kill(pid);

    json_t *failures = json_array(), *stack = json_array();
    bool done = false, leak = false;
    int open_fds = 0;
    struct setup_error setup = { 0 };
    /* A stack counts only from a child that this zygote stopped. */
    records_parse(&in, token, failures, &done, &leak, &open_fds, &setup,
                  timed_out ? stack : NULL);
    if (setup.what[0]) {
        /* Not the test's doing: the grader reports it as its own error. */
        json_decref(failures), json_decref(stack);
        send_error_why(index, setup.what, setup.reason);
        return;
    }
    bool stopped = stop != STOP_NONE;
    result_send(json_pack("{s:s, s:I, s:i, s:b, s:i, s:i, s:b, s:i, s:b, s:b, s:b, s:f, s:f, "
                          "s:f, s:f, s:o, s:o}",
                          "event", "end", "index", (json_int_t)index, "pid", (int)pid,
                          "finished", done && !stopped,
                          "exit_status", WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                          "signal", WIFSIGNALED(status) && !stopped ? WTERMSIG(status) : 0,
                          "leak", leak, "open_fds", open_fds, "timed_out", timed_out,
                          "blocked", stop == STOP_BLOCKED, "host_busy", stop == STOP_HOST_BUSY,
                          "allowed", allowed, "cpu", cpu, "body_cpu", body_cpu, "seconds", now_seconds() - started,
                          "failures", failures, "stack", stack));
}

/* LeakSanitizer's check in a test child scans every writable segment of
 * every loaded module, about 12 MiB with the sanitizer runtimes' own. The
 * pages of those the zygote never wrote are not copied by fork(): each
 * child faulted them all in again (measured: 2800 faults, half of a
 * check's CPU, on a 2-core VM). Populated once here as if written, their
 * contents unchanged, they are shared copy-on-write with every child. */
static int segment_populate(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size, (void)data;
    long page = sysconf(_SC_PAGESIZE);
    uintptr_t mask = ~(uintptr_t)(page > 0 ? page - 1 : 4095), relro_end = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_GNU_RELRO) /* read-only once relocated */
            relro_end = (info->dlpi_addr + ph->p_vaddr + ph->p_memsz) & mask;
    }
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W))
            continue;
        uintptr_t begin = (info->dlpi_addr + ph->p_vaddr) & mask;
        uintptr_t end = (info->dlpi_addr + ph->p_vaddr + ph->p_memsz + ~mask) & mask;
        if (relro_end > begin)
            begin = relro_end;
        if (end > begin) /* an older kernel refuses (EINVAL): only slower */
            madvise((void *)begin, end - begin, MADV_POPULATE_WRITE);
    }
    return 0;
}

static int usage(const char *self)
{
    fprintf(stderr, "usage: %s --list\n"
                    "       %s --run LOGDIR SCRATCHDIR SCALE FLOOR [--fast] [--own-uid] "
                    "INDEX...\n", self, self);
    return 2;
}

static bool parse_seconds(const char *text, double *out)
{
    char *end = NULL;
    *out = strtod(text, &end);
    return end != text && *end == '\0' && *out > 0;
}

/**
 * @brief Lists the tests, or runs the given ones as the zygote.
 * @param[in] argc number of command-line arguments.
 * @param[in] argv `--list`, or `--run LOGDIR SCRATCHDIR SCALE FLOOR [--fast]
 *                 [--own-uid] INDEX...` (see the file's description);
 *                 borrowed.
 * @return 0 once every test was listed or run (their verdicts went to fd 3),
 *         1 when the catalogue cannot be loaded or listed, 2 for a usage
 *         error.
 */
int main(int argc, char **argv)
{
    if (catalogue_load() != 0)
        return 1;
    if (argc == 2 && strcmp(argv[1], "--list") == 0)
        return list_tests();
    if (argc < 6 || strcmp(argv[1], "--run") != 0)
        return usage(argv[0]);

    const char *log_dir = argv[2], *scratch_dir = argv[3];
    if (!parse_seconds(argv[4], &limits.scale) || !parse_seconds(argv[5], &limits.floor))
        return usage(argv[0]);
    int first = 6;
    bool fast = false;
    for (; first < argc && strncmp(argv[first], "--", 2) == 0; first++) {
        if (strcmp(argv[first], "--fast") == 0)
            fast = true;
        else if (strcmp(argv[first], "--own-uid") == 0)
            limits.own_uid = true;
        else
            return usage(argv[0]);
    }
    /* No test child, even of the same uid, may read or write our memory
     * through /proc/PID/mem, nor open our descriptors through /proc. */
    if (prctl(PR_SET_DUMPABLE, 0) != 0 || prctl(PR_SET_CHILD_SUBREAPER, 1) != 0
        || token_page_make() != 0)
        return 1;
    signal(SIGPIPE, SIG_IGN);
    if (fast)
        dl_iterate_phdr(segment_populate, NULL);
    for (int i = first; i < argc; i++) {
        char *end = NULL;
        unsigned long index = strtoul(argv[i], &end, 10);
        if (*end != '\0' || index >= catalogue.len)
            return usage(argv[0]);
        zygote_run_one(index, log_dir, scratch_dir, fast);
    }
    free(catalogue.tests);
    return 0;
}
